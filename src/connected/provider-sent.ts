import type { ConnectionOptions } from "node:tls";
import type { Store } from "../store/store.ts";
import type { ConnectedAccount } from "./account.ts";
import { type ProviderTimeouts, withProviderImap } from "./provider-imap.ts";
import { folderSyncStates, type ProviderLocation } from "./provider-index.ts";
import { wellKnownByImapHost } from "./well-known-providers.ts";

/** Whether the provider files what its SMTP sends into Sent by itself (Gmail, Outlook, Yahoo…). */
export function providerSavesSent(account: ConnectedAccount): boolean {
  return wellKnownByImapHost(account.imap.host)?.savesSent ?? false;
}

/**
 * Appends a sent message to the provider's Sent folder (the one the sync maps to `sent`, else the
 * one LIST marks \Sent, else "Sent"), seen. Returns where it landed when the provider says
 * (UIDPLUS), so the local copy can be indexed there.
 */
export async function appendToSent(
  store: Store,
  account: ConnectedAccount,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts,
  raw: Uint8Array,
): Promise<ProviderLocation | undefined> {
  const mapped = folderSyncStates(store, account.grantId).find((s) => s.folderId === "sent")?.folderPath;
  return withProviderImap(
    account.imap,
    tls,
    async (client) => {
      const path = mapped ?? (await client.list()).find((b) => b.specialUse === "\\Sent")?.path ?? "Sent";
      const appended = await client.append(path, Buffer.from(raw), ["\\Seen"], new Date());
      if (!appended || appended.uid === undefined || appended.uidValidity === undefined) return undefined;
      return { folderPath: path, uidValidity: Number(appended.uidValidity), uid: appended.uid };
    },
    timeouts,
  );
}
