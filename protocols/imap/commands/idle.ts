import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { bad, ok } from "../completion.ts";

/**
 * IDLE (RFC 2177): changes are pushed as they commit until the client sends DONE. After
 * AGENTBOX_IMAP_IDLE_TIMEOUT_S the server ends IDLE itself with the tagged OK; the client
 * issues IDLE again (a late DONE is then ignored).
 */
export const idle: ImapCommand = {
  name: "IDLE",
  states: AUTHENTICATED,
  async handle(session, args) {
    args.end();
    session.send("+ idling");
    session.idling = true;
    session.flushChanges(true);
    const line = await session.io.readLine(session.ctx.limits.idleTimeoutMs);
    session.idling = false;
    if (line === "timeout") {
      session.idleTimedOut = true;
      return ok("IDLE terminated after the server's time limit; issue IDLE again");
    }
    if (line === null) return ok("IDLE terminated");
    if (line.toString("latin1").trim().toUpperCase() !== "DONE") return bad("Expected DONE to end IDLE");
    return ok("IDLE terminated");
  },
};
