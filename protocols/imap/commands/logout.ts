import { ANY, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

export const logout: ImapCommand = {
  name: "LOGOUT",
  states: ANY,
  async handle(session, args) {
    args.end();
    session.send("* BYE agentbox logging out");
    session.state = "logout";
    return ok("LOGOUT completed");
  },
};
