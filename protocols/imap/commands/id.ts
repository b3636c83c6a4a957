import { BadArgs } from "../args.ts";
import { ANY, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

/** ID (RFC 2971): the client's fields are read and ignored; ours are the server's name and version. */
export const id: ImapCommand = {
  name: "ID",
  states: ANY,
  async handle(session, args) {
    const t = args.next("ID parameters");
    if (t.kind === "list") {
      if (t.items.length % 2 !== 0 || t.items.length > 60) throw new BadArgs("ID needs field/value pairs");
    } else if (!(t.kind === "atom" && t.value.toUpperCase() === "NIL")) {
      throw new BadArgs("ID needs a list or NIL");
    }
    args.end();
    session.send('* ID ("name" "agentbox" "version" "0.1.0" "vendor" "agentbox")');
    return ok("ID completed");
  },
};
