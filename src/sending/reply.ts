import { and, desc, eq } from "drizzle-orm";
import { MailboxError } from "../domain/errors.ts";
import { getMessage } from "../mailbox/messages.ts";
import { messages } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** What answering a message means for the composer (threading headers) and the mailbox (\Answered). */
export interface ReplyContext {
  answeredId: string;
  /** Absent when the answered message has no Message-ID to refer to. */
  replyTo?: { messageId: string; references: string[] };
}

/** reply_to_message_id: a message of this grant, or 404. */
export async function replyContext(
  store: Store,
  grantId: string,
  messageId: string | undefined,
): Promise<ReplyContext | undefined> {
  if (!messageId) return undefined;
  const view = getMessage(store, grantId, messageId);
  if (!view) throw new MailboxError("not_found", `reply_to_message_id: message ${messageId} not found`);
  const header = view.row.messageIdHeader;
  return {
    answeredId: view.row.id,
    ...(header && {
      replyTo: { messageId: header, references: JSON.parse(view.row.referencesJson) as string[] },
    }),
  };
}

/** The newest message of the grant with this Message-ID header (the parent of a raw or draft reply). */
export async function messageByHeader(
  store: Store,
  grantId: string,
  header: string | null,
): Promise<string | undefined> {
  if (!header) return undefined;
  const [row] = await store.read
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.messageIdHeader, header)))
    .orderBy(desc(messages.internalDate))
    .limit(1);
  return row?.id;
}
