/**
 * HTTP Basic (RFC 7617) with the account's email and app password, checked by the same
 * PasswordLogins as IMAP and SMTP: one budget of wrong guesses, one answer for an unknown
 * account and a wrong password.
 */
import type { LoggedInAccount, PasswordLogins } from "../../src/accounts/password-login.ts";
import type { Logger } from "../../src/log.ts";
import { DavError } from "./errors.ts";

export const REALM = 'Basic realm="agentbox CalDAV", charset="UTF-8"';

const challenge = (message: string) => new DavError(401, message, undefined, { "www-authenticate": REALM });

/** The account the request's credentials name; refusals are logged with their cause, never the password. */
export async function authenticate(
  logins: PasswordLogins,
  request: Request,
  address: string,
  log: Logger,
): Promise<LoggedInAccount> {
  const header = request.headers.get("authorization") ?? "";
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) throw challenge("authentication required: the account's email and app password");
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw challenge("malformed Basic credentials");
  const result = await logins.login(decoded.slice(0, colon), decoded.slice(colon + 1), address);
  if (result.ok) return result.account;
  log.info(
    { address, why: result.refused === "limited" ? "too many failed logins" : result.cause },
    "caldav login refused",
  );
  if (result.refused === "limited") {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new DavError(429, "too many failed logins; try again later", undefined, {
      "retry-after": String(seconds),
    });
  }
  throw challenge("invalid email or app password");
}
