import { and, eq } from "drizzle-orm";
import { messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Whether `messageIdHeader` names a message the account itself wrote (its From is the account):
 * an inbound message answering it is a reply, which the account's reply lists govern.
 */
export function isOwnMessage(
  store: Store,
  grant: { id: string; email: string },
  messageIdHeader: string,
): boolean {
  const rows = store.read
    .select({ from: messages.fromJson })
    .from(messages)
    .where(and(eq(messages.grantId, grant.id), eq(messages.messageIdHeader, messageIdHeader)))
    .limit(5)
    .all();
  const email = grant.email.toLowerCase();
  return rows.some((r) =>
    (JSON.parse(r.from) as { email?: string }[]).some((p) => p.email?.toLowerCase() === email),
  );
}
