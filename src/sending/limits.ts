import { MailboxError } from "../domain/errors.ts";
import { attachmentProblem, hasAttachmentLimits } from "../guardrails/attachment-limits.ts";
import type { EffectiveLimits } from "../guardrails/limits.ts";
import type { AttachmentInfo } from "../mail/attachments.ts";

/** Recipients of one message (to + cc + bcc), on every send path: API, drafts, SMTP submission. */
export const MAX_RECIPIENTS = 50;

/** send_at at least this far ahead schedules the message (Nylas: 1 minute … 30 days). */
const SCHEDULE_MIN_S = 60;
const SCHEDULE_MAX_S = 30 * 24 * 3600;

/** The outbound size limit (AGENTBOX_MAX_MESSAGE_BYTES), on the composed message. */
export function checkMessageSize(raw: Uint8Array, maxBytes: number): void {
  if (raw.byteLength > maxBytes) {
    throw new MailboxError(
      "too_big",
      `the message is ${raw.byteLength} bytes once composed; the limit is ${maxBytes} bytes`,
    );
  }
}

/**
 * When a send_at schedules the message: its time when at least a minute ahead; null when it is
 * in the past or within the next minute (the message goes now); refused beyond 30 days.
 */
export function scheduledTime(sendAt: number | undefined, nowS: number): number | null {
  if (sendAt === undefined || sendAt < nowS + SCHEDULE_MIN_S) return null;
  if (sendAt > nowS + SCHEDULE_MAX_S) {
    throw new MailboxError("invalid", "send_at may be at most 30 days ahead");
  }
  return sendAt;
}

/**
 * A policy's attachment limits on a message being sent or delivered to a hosted account: an
 * attachment over the size is `too_big` (413), too many or a type not allowed is `invalid` (400).
 */
export async function checkAttachments(
  limits: EffectiveLimits,
  attachments: () => Promise<readonly AttachmentInfo[]>,
): Promise<void> {
  if (!hasAttachmentLimits(limits)) return;
  const problem = attachmentProblem(await attachments(), limits);
  if (problem) throw new MailboxError(problem.kind === "size" ? "too_big" : "invalid", problem.message);
}
