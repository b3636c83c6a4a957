import { ProviderError } from "../connected/provider-error.ts";
import { ApiError } from "./errors.ts";

const STAGE_NAMES = {
  connection: "connection",
  tls: "TLS",
  authentication: "authentication",
  command: "command",
  timeout: "timeout",
} as const;

/** A provider login refused while connecting an account: a 400 that names what failed. */
export function connectRefusal(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  return new ApiError(400, `IMAP ${STAGE_NAMES[err.stage]} failed: ${err.message}`);
}

/**
 * A connected account's provider failing a change: 504 when it did not answer in time, else 502;
 * nothing was changed locally.
 */
export function providerFailure(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  const status =
    err.stage === "timeout" || (err.stage === "connection" && /ETIMEDOUT/.test(err.message)) ? 504 : 502;
  return new ApiError(status, `the account's provider failed (${STAGE_NAMES[err.stage]}): ${err.message}`);
}
