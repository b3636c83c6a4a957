import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";
import { Notifications, parseNotify, statusItemsFor } from "../notify.ts";
import type { Token } from "../parser.ts";
import { quietStatusLine } from "../status-items.ts";

/**
 * NOTIFY SET [STATUS] (filter events)… / NOTIFY NONE (RFC 5465): what the session is told about
 * mailboxes other than the selected one, as it happens. With STATUS, each watched mailbox's STATUS
 * is told at once.
 */
export const notify: ImapCommand = {
  name: "NOTIFY",
  states: AUTHENTICATED,
  async handle(session, args) {
    const tokens: Token[] = [];
    while (args.remaining > 0) tokens.push(args.next("argument"));
    const request = parseNotify(tokens);
    if (!request) {
      session.notify = null;
      return ok("NOTIFY completed");
    }
    const notifications = new Notifications(request.groups);
    const tree = session.mailboxTree();
    notifications.know(tree);
    session.notify = notifications;
    if (request.status) {
      const selectedId = session.selected?.folderId ?? null;
      for (const entry of tree.entries) {
        if (entry.folder.id === selectedId) continue;
        const events = notifications.eventsFor(
          entry.path,
          entry.folder.id === "inbox",
          () => !!entry.folder.subscribed,
        );
        const items = statusItemsFor(events);
        if (items.length === 0) continue;
        const line = quietStatusLine(session, entry, items);
        if (line) session.send(line);
      }
    }
    return ok("NOTIFY completed");
  },
};
