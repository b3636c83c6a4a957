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
  const result = await session.ctx.auth.login(user, password, session.io.remoteAddress);
  if (!result.ok) {
    session.ctx.log.info({ address: session.io.remoteAddress, code: result.code }, "imap login refused");
    return no(result.text, result.code);
  }
  const max = session.ctx.limits.maxConnectionsPerAccount;
  if (!session.ctx.registry.claim(result.grantId, session, max)) {
    return no(
      `Too many IMAP connections for this account (at most ${max}); close another mail client or connection first`,
      "LIMIT",
    );
  }
  session.loggedIn(result.grantId, result.email, result.passwordVersion);
  session.ctx.log.info({ grantId: result.grantId, address: session.io.remoteAddress }, "imap login");
  return ok(`${result.email} logged in`, `CAPABILITY ${capabilities(session).join(" ")}`);
}
