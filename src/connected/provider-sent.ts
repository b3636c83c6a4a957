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
 * Appends a message to one of the provider's system folders: the one the sync maps to the local
 * `folderId`, else the one LIST marks with the special use, else the usual name. Returns where it
 * landed when the provider says (UIDPLUS), so the local copy can be indexed there.
 */
export async function appendToSystemFolder(
  store: Store,
  account: ConnectedAccount,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts,
  raw: Uint8Array,
  folder: ProviderSystemFolder,
): Promise<ProviderLocation | undefined> {
  const mapped = folderSyncStates(store, account.grantId).find((s) => s.folderId === folder.id)?.folderPath;
  return withProviderImap(
    account.imap,
    tls,
    async (client) => {
      const path =
        mapped ?? (await client.list()).find((b) => b.specialUse === folder.specialUse)?.path ?? folder.name;
      const appended = await client.append(path, Buffer.from(raw), folder.flags, new Date());
      if (!appended || appended.uid === undefined || appended.uidValidity === undefined) return undefined;
      return { folderPath: path, uidValidity: Number(appended.uidValidity), uid: appended.uid };
    },
    timeouts,
  );
}

/** A local system folder, how the provider marks its own, its usual name, and the flags of what agentbox files there. */
export interface ProviderSystemFolder {
  id: "sent" | "drafts";
  specialUse: string;
  name: string;
  flags: string[];
}

export const SENT_FOLDER: ProviderSystemFolder = {
  id: "sent",
  specialUse: "\\Sent",
  name: "Sent",
  flags: ["\\Seen"],
};
export const DRAFTS_FOLDER: ProviderSystemFolder = {
  id: "drafts",
  specialUse: "\\Drafts",
  name: "Drafts",
  flags: ["\\Draft", "\\Seen"],
};
