import { MailboxError } from "../domain/errors.ts";
import { getMessage } from "../mailbox/messages.ts";
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
