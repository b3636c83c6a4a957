export type MailboxErrorCode =
  | "not_found"
  | "invalid"
  | "over_quota"
  | "conflict"
  | "too_big"
  /** The daily send quota is used up; `retryAfterS` says when it resets. */
  | "rate_limited"
  /** A rule blocked it (a policy's decision: not retryable). */
  | "blocked"
  /** It could not be decided now (a rule evaluation failed): retry later. */
  | "unavailable";

/** A refusal the caller can act on; protocols map `code` to their own error (NO [OVERQUOTA], 4xx …). */
export class MailboxError extends Error {
  constructor(
    readonly code: MailboxErrorCode,
    message: string,
    /** Seconds until the refusal lifts (rate_limited). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "MailboxError";
  }
}
