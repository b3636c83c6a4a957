import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";
import { parseStatusItems, statusLine } from "../status-items.ts";

export const status: ImapCommand = {
  name: "STATUS",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = args.mailbox();
    const items = parseStatusItems(args.list("status items"));
    args.end();
    const entry = session.findMailbox(name);
    const line = statusLine(session, entry, items);
    if (!line) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "NONEXISTENT");
    session.send(line);
    return ok("STATUS completed");
  },
};
