import { and, eq, sql } from "drizzle-orm";
import type { MessageView } from "../mailbox/messages.ts";
import { attachments, messageBodies, messages } from "../store/schema.ts";
import type { Db, Store } from "../store/store.ts";

/**
 * getMessage (src/mailbox/messages.ts) as prepared statements: the same MessageView, without
 * building the queries anew for every notification (drizzle spends ~0.5 ms doing that, ten times
 * the cost of the queries themselves), which bounded webhook throughput to ~1,500/s.
 */
function prepare(db: Db) {
  return {
    row: db
      .select({ row: messages, seq: sql<number>`${messages}.rowid` })
      .from(messages)
      .where(and(eq(messages.grantId, sql.placeholder("grantId")), eq(messages.id, sql.placeholder("id"))))
      .prepare(),
    body: db
      .select({ body: messageBodies.body })
      .from(messageBodies)
      .where(eq(messageBodies.messageId, sql.placeholder("id")))
      .prepare(),
    attachments: db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, sql.placeholder("id")))
      .prepare(),
  };
}

const prepared = new WeakMap<Store, ReturnType<typeof prepare>>();

export function loadMessageView(store: Store, grantId: string, id: string): MessageView | null {
  let q = prepared.get(store);
  if (!q) {
    q = prepare(store.read);
    prepared.set(store, q);
  }
  const found = q.row.get({ grantId, id });
  if (!found) return null;
  return {
    row: found.row,
    seq: found.seq,
    body: q.body.get({ id })?.body ?? "",
    attachments: q.attachments.all({ id }),
  };
}
