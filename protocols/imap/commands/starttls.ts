import { type ImapCommand, NOT_AUTHENTICATED } from "../command.ts";
import { bad, ok } from "../completion.ts";

/** STARTTLS on the plaintext listener; the tagged OK goes out before the handshake. */
export const starttls: ImapCommand = {
  name: "STARTTLS",
  states: NOT_AUTHENTICATED,
  async handle(session, args, call) {
    args.end();
    if (!session.io.canStartTls()) return bad("TLS is already active");
    session.tagged(call.tag, ok("Begin TLS negotiation now"));
    await session.io.startTls();
    return { ...ok(""), sent: true };
  },
};
