import { capabilities } from "../capabilities.ts";
import { ANY, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

export const capability: ImapCommand = {
  name: "CAPABILITY",
  states: ANY,
  async handle(session, args) {
    args.end();
    session.send(`* CAPABILITY ${capabilities(session).join(" ")}`);
    return ok("CAPABILITY completed");
  },
};
