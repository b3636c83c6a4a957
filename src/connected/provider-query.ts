import type { ConnectionOptions } from "node:tls";
import type { SearchObject } from "imapflow";
import type { Store } from "../store/store.ts";
import { loadConnectedAccount } from "./account.ts";
import { ProviderError } from "./provider-error.ts";
import { type ProviderTimeouts, withProviderImap } from "./provider-imap.ts";
import { folderSyncStates, localMessageIdAt } from "./provider-index.ts";

/** A local message as the provider has it now. */
export interface LiveMessage {
  messageId: string;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
}

export interface ProviderQueryDeps {
  store: Store;
  tls: ConnectionOptions;
  timeouts: ProviderTimeouts;
}

/**
 * Asks the provider, over a short-lived connection, which messages of the given local folders
 * (every folder the sync maps when none is named) match an IMAP SEARCH, with their flags now.
 * UIDs map back to local messages through the provider index; what the sync has not stored
 * yet is left out.
 */
export async function queryProvider(
  deps: ProviderQueryDeps,
  grantId: string,
  search: SearchObject,
  folderIds: string[] | undefined,
): Promise<LiveMessage[]> {
  const account = await loadConnectedAccount(deps.store, grantId);
  if (!account) return [];
  const mapped = folderSyncStates(deps.store, grantId);
  const folders = folderIds ? mapped.filter((s) => folderIds.includes(s.folderId)) : mapped;
  if (folderIds && folders.length === 0) {
    throw new ProviderError("command", `folder ${folderIds.join(", ")} is not known at the provider yet`);
  }
  return withProviderImap(
    account.imap,
    deps.tls,
    async (client) => {
      const found: LiveMessage[] = [];
      for (const folder of folders) {
        const box = await client.mailboxOpen(folder.folderPath, { readOnly: true });
        const uidValidity = Number(box.uidValidity);
        if (box.exists === 0) continue;
        const uids = await client.search(search, { uid: true });
        if (!uids || uids.length === 0) continue;
        for await (const m of client.fetch(uids.join(","), { uid: true, flags: true }, { uid: true })) {
          const messageId = localMessageIdAt(deps.store, grantId, folder.folderPath, uidValidity, m.uid);
          if (!messageId) continue;
          const flags = m.flags ?? new Set<string>();
          found.push({
            messageId,
            seen: flags.has("\\Seen"),
            flagged: flags.has("\\Flagged"),
            answered: flags.has("\\Answered"),
          });
        }
      }
      return found;
    },
    deps.timeouts,
  );
}
