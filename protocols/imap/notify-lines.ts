/** NOTIFY's pending notifications as untagged responses: `* STATUS` and `* LIST` (RFC 5465 §5). */
import type { CommandSession } from "./command-session.ts";
import { mailboxOut } from "./encode.ts";
import { DELIMITER } from "./mailbox-names.ts";
import { type Notifications, statusItemsFor } from "./notify.ts";
import { quietStatusLine } from "./status-items.ts";

export function notificationLines(session: CommandSession, notify: Notifications): string[] {
  if (notify.overflow) return ["* OK [NOTIFICATIONOVERFLOW] Too many changes at once: NOTIFY is off"];
  const tree = session.mailboxTree();
  const subscribed = (path: string) => !!tree.find(path)?.folder.subscribed;
  const { statuses, names, subscriptions } = notify.take(
    tree,
    session.selected?.folderId ?? null,
    subscribed,
  );
  const lines: string[] = [];
  for (const { path, oldPath, exists } of names) {
    const entry = tree.find(path);
    const attrs = !exists ? "\\NonExistent" : entry?.hasChildren ? "\\HasChildren" : "\\HasNoChildren";
    const old = oldPath === null ? "" : ` ("OLDNAME" (${mailboxOut(oldPath)}))`;
    lines.push(`* LIST (${attrs}) "${DELIMITER}" ${mailboxOut(path)}${old}`);
  }
  for (const { path, subscribed: on } of subscriptions) {
    const entry = tree.find(path);
    const attrs = [!entry ? "\\NonExistent" : entry.hasChildren ? "\\HasChildren" : "\\HasNoChildren"];
    if (on) attrs.push("\\Subscribed");
    lines.push(`* LIST (${attrs.join(" ")}) "${DELIMITER}" ${mailboxOut(entry?.path ?? path)}`);
  }
  for (const { entry, events } of statuses) {
    const line = quietStatusLine(session, entry, statusItemsFor(events));
    if (line) lines.push(line);
  }
  return lines;
}
