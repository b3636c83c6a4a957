import { MailboxError } from "../../actors/mailbox/types.ts";

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
 * A send_at in the past or within the next minute sends now. Later ones would be scheduled
 * sends, which this server does not do yet: refused rather than sent early.
 */
export function checkSendAt(sendAt: number | undefined, nowS: number): void {
  if (sendAt === undefined || sendAt < nowS + SCHEDULE_MIN_S) return;
  if (sendAt > nowS + SCHEDULE_MAX_S) {
    throw new MailboxError("invalid", "send_at may be at most 30 days ahead");
  }
  throw new MailboxError(
    "invalid",
    "send_at: scheduled send is not supported yet; omit send_at (or use a time within the next minute) to send now",
  );
}
