import type { SmtpConfig } from "../../config/smtp.ts";

/**
 * The delay before attempt `attempt + 1`, after `attempt` failures: exponential from the base
 * (1×, 2×, 4×, … the base), capped, with ±20% jitter so retries of many messages to one
 * destination spread out instead of arriving together.
 */
export function backoffMs(
  attempt: number,
  smtp: Pick<SmtpConfig, "retryBaseMs" | "retryMaxMs">,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const plain = Math.min(smtp.retryMaxMs, smtp.retryBaseMs * 2 ** exponent);
  return Math.round(plain * (0.8 + 0.4 * random()));
}
