import { messageByHeader } from "../../mailbox/messages.ts";
import type { Store } from "../../store/store.ts";

/** A bounce with this Message-ID is already in the account (stored before a crash cut the run short). */
export async function dsnAlreadyStored(store: Store, grantId: string, messageId: string): Promise<boolean> {
  return (await messageByHeader(store, grantId, messageId)) !== undefined;
}
