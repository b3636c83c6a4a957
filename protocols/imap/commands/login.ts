import type { PasswordLoginResult } from "../../../src/accounts/password-login.ts";
import { capabilities, loginAllowed } from "../capabilities.ts";
import { type ImapCommand, NOT_AUTHENTICATED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { type Completion, no, ok } from "../completion.ts";

export const login: ImapCommand = {
  name: "LOGIN",
  states: NOT_AUTHENTICATED,
  async handle(session, args) {
    const user = args.astring("user name");
    const password = args.astring("password");
    args.end();
    return authenticateSession(session, user, password);
  },
};

/** LOGIN and AUTHENTICATE PLAIN share this: checks, the connection limit, then the state change. */
export async function authenticateSession(
  session: CommandSession,
  user: string,
  password: string,
): Promise<Completion> {
  if (!loginAllowed(session)) return no("Log in only after STARTTLS", "PRIVACYREQUIRED");
  const address = session.io.remoteAddress;
  const result = await session.ctx.auth.login(user, password, address);
  if (!result.ok) {
    const why = result.refused === "limited" ? "too many failed logins" : result.cause;
    session.ctx.log.info({ address, why }, "imap login refused");
    return refusal(result);
  }
  const { account } = result;
  const max = session.ctx.limits.maxConnectionsPerAccount;
  if (!session.ctx.registry.claim(account.grantId, session, max)) {
    return no(
      `Too many IMAP connections for this account (at most ${max}); close another mail client or connection first`,
      "LIMIT",
    );
  }
  session.loggedIn(account.grantId, account.email, account.passwordVersion);
  session.ctx.log.info({ grantId: account.grantId, address }, "imap login");
  return ok(`${account.email} logged in`, `CAPABILITY ${capabilities(session).join(" ")}`);
}

/** A refused login: over the limit (the password was not checked), or not these credentials. */
function refusal(result: Exclude<PasswordLoginResult, { ok: true }>): Completion {
  if (result.refused === "limited") {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    return no(`Too many failed logins; try again in ${seconds} seconds`, "UNAVAILABLE");
  }
  return no("Invalid email or app password", "AUTHENTICATIONFAILED");
}
