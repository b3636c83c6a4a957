import type { OutboundRow } from "../../store/schema.ts";

/** RFC 5321 §4.5.3.1.8: a server must take at least 100 recipients per transaction. */
const MAX_RCPTS_PER_TRANSACTION = 100;

/** One SMTP transaction's worth of queue rows: the same message, sender and recipient domain. */
export interface Group {
  domain: string;
  rows: OutboundRow[];
}

/** Rows of one message (same bytes and sender) to one domain travel in one transaction. */
export function groupRows(rows: OutboundRow[]): Group[] {
  const done: Group[] = [];
  const open = new Map<string, Group>();
  for (const row of rows) {
    const domain = row.rcptTo.slice(row.rcptTo.lastIndexOf("@") + 1).toLowerCase();
    const key = `${domain}\u0000${row.blobHash}\u0000${row.mailFrom}\u0000${row.grantId}\u0000${row.messageId}`;
    const group = open.get(key);
    if (group && group.rows.length < MAX_RCPTS_PER_TRANSACTION) {
      group.rows.push(row);
      continue;
    }
    if (group) done.push(group);
    open.set(key, { domain, rows: [row] });
  }
  return [...done, ...open.values()];
}
