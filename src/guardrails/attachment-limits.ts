import type { AttachmentInfo } from "../mail/attachments.ts";
import type { EffectiveLimits } from "./limits.ts";

/** What a policy's attachment limits say of a message's attachments (inline parts count too). */
export type AttachmentProblem = { kind: "size" | "count" | "type"; message: string };

export function hasAttachmentLimits(limits: EffectiveLimits): boolean {
  return (
    limits.attachmentMaxBytes !== null ||
    limits.attachmentMaxCount !== null ||
    limits.attachmentTypes !== null
  );
}

export function attachmentProblem(
  attachments: readonly AttachmentInfo[],
  limits: EffectiveLimits,
): AttachmentProblem | null {
  if (limits.attachmentMaxCount !== null && attachments.length > limits.attachmentMaxCount) {
    return {
      kind: "count",
      message: `the message has ${attachments.length} attachments; the policy allows ${limits.attachmentMaxCount}`,
    };
  }
  for (const a of attachments) {
    const name = a.filename ? `"${a.filename}"` : `part ${a.partPath}`;
    if (limits.attachmentMaxBytes !== null && a.size > limits.attachmentMaxBytes) {
      return {
        kind: "size",
        message: `attachment ${name} is ${a.size} bytes; the policy allows ${limits.attachmentMaxBytes} bytes per attachment`,
      };
    }
    const type = mimeTypeOf(a.contentType);
    if (
      limits.attachmentTypes !== null &&
      !limits.attachmentTypes.some((allowed) => typeMatches(allowed, type))
    ) {
      return {
        kind: "type",
        message: `attachment ${name} is ${type}; the policy allows ${limits.attachmentTypes.join(", ")}`,
      };
    }
  }
  return null;
}

function mimeTypeOf(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** `image/*` allows every image type; anything else is matched exactly. */
function typeMatches(allowed: string, type: string): boolean {
  return allowed.endsWith("/*") ? type.startsWith(allowed.slice(0, -1)) : allowed === type;
}
