import type { ConnectionOptions } from "node:tls";
import type { ImapFlow } from "imapflow";
import type { CommandInput, CommandKind, CommandReply } from "../../../actors/mailbox/registry.ts";
import { FOLDER_NAME_DELIMITER } from "../../domain/folder-name.ts";
import { getFolder } from "../../mailbox/folders.ts";
import type { Store } from "../../store/store.ts";
import { type ConnectedAccount, loadConnectedAccount } from "../account.ts";
import { indexMessageAt } from "../index-message.ts";
import { ProviderError } from "../provider-error.ts";
import { type ProviderTimeouts, withProviderImap } from "../provider-imap.ts";
import {
  folderSyncState,
  folderSyncStates,
  forgetFolder,
  providerLocationOf,
  saveFolderSyncState,
} from "../provider-index.ts";
import { appendToSystemFolder, DRAFTS_FOLDER } from "../provider-sent.ts";
import type { ConnectedSync } from "../sync/registry.ts";
import { relocateMessage } from "./relocate.ts";

export interface ProviderWritesDeps {
  store: Store;
  connectedSync: ConnectedSync;
  tls: ConnectionOptions;
  timeouts: ProviderTimeouts;
}

/** What runs once the local command has committed, with its reply. */
export type AfterLocal<K extends CommandKind> = (reply: CommandReply<K>) => Promise<void>;

const WRITTEN_THROUGH = new Set<CommandKind>([
  "append",
  "replaceDraft",
  "updateMessage",
  "deleteMessage",
  "createFolder",
  "updateFolder",
  "deleteFolder",
]);

/**
 * The changes an agent makes to a connected account (flags, moves, deletes, folders) go to the
 * provider first, over a short-lived connection closed before the API answers; only when the
 * provider took them does the local command run (so webhooks fire as for an agent account). A
 * provider failure throws a ProviderError and nothing changes locally.
 */
export class ProviderWrites {
  constructor(private readonly deps: ProviderWritesDeps) {}

  /** Writes the change at the provider if the grant is a connected one; else does nothing. */
  async before<K extends CommandKind>(
    grantId: string,
    kind: K,
    input: CommandInput<K>,
  ): Promise<AfterLocal<K> | undefined> {
    if (!WRITTEN_THROUGH.has(kind)) return undefined;
    const account = await loadConnectedAccount(this.deps.store, grantId);
    if (!account) return undefined;
    const after = await this.write(account, kind, input as never);
    return after as AfterLocal<K> | undefined;
  }

  private write(
    account: ConnectedAccount,
    kind: CommandKind,
    input: never,
  ): Promise<AfterLocal<never> | undefined> {
    switch (kind) {
      case "append":
        return this.appendDraft(account, input as CommandInput<"append">) as Promise<AfterLocal<never>>;
      case "replaceDraft":
        return this.replaceDraft(account, input as CommandInput<"replaceDraft">);
      case "updateMessage":
        return this.updateMessage(account, input as CommandInput<"updateMessage">);
      case "deleteMessage":
        return this.deleteMessage(account, input as CommandInput<"deleteMessage">);
      case "createFolder":
        return this.createFolder(account, input as CommandInput<"createFolder">) as Promise<
          AfterLocal<never>
        >;
      case "updateFolder":
        return this.updateFolder(account, input as CommandInput<"updateFolder">);
      case "deleteFolder":
        return this.deleteFolder(account, input as CommandInput<"deleteFolder">);
      default:
        return Promise.resolve(undefined);
    }
  }

  /** A draft saved through the API is filed in the provider's Drafts first (other appends are not the API's). */
  private async appendDraft(account: ConnectedAccount, input: CommandInput<"append">) {
    if (input.folderId !== "drafts") return undefined;
    const { store, tls, timeouts } = this.deps;
    const filed = await appendToSystemFolder(store, account, tls, timeouts, input.raw, DRAFTS_FOLDER);
    if (!filed) return undefined;
    const after: AfterLocal<"append"> = (reply) => indexMessageAt(store, account.grantId, reply.id, filed);
    return after;
  }

  /** A draft's new version replaces the old one at the provider too: the new one filed, the old one gone. */
  private async replaceDraft(account: ConnectedAccount, input: CommandInput<"replaceDraft">) {
    const { store, tls, timeouts } = this.deps;
    const old = providerLocationOf(store, account.grantId, input.draftId);
    const filed = await appendToSystemFolder(store, account, tls, timeouts, input.raw, DRAFTS_FOLDER);
    if (old) {
      await this.imap(account, async (client) => {
        const box = await client.mailboxOpen(old.folderPath);
        if (Number(box.uidValidity) === old.uidValidity)
          await client.messageDelete(String(old.uid), { uid: true });
      });
    }
    if (!filed) return undefined;
    // The local replace may drop the draft's index row with its old version: moved, else added.
    const after: AfterLocal<never> = async () => {
      await relocateMessage(store, account.grantId, input.draftId, filed);
      await indexMessageAt(store, account.grantId, input.draftId, filed);
    };
    return after;
  }

  private async updateMessage(account: ConnectedAccount, input: CommandInput<"updateMessage">) {
    const { store } = this.deps;
    const location = providerLocationOf(store, account.grantId, input.messageId);
    if (!location) return undefined; // only here (not synced yet, or never at the provider)
    const target = input.folderId ? this.pathOf(account.grantId, input.folderId) : undefined;
    if (input.folderId && target === undefined) throw notAtProvider(input.folderId);
    const { add, remove } = imapFlags(input.flags ?? {});
    const moves = target !== undefined && target !== location.folderPath;
    if (add.length === 0 && remove.length === 0 && !moves) return undefined; // metadata: agentbox's own
    const moved = await this.imap(account, async (client) => {
      await openChecked(client, location.folderPath, location.uidValidity);
      const uid = String(location.uid);
      if (add.length > 0) await client.messageFlagsAdd(uid, add, { uid: true });
      if (remove.length > 0) await client.messageFlagsRemove(uid, remove, { uid: true });
      if (target === undefined || target === location.folderPath) return undefined;
      return moveTo(client, location.uid, target);
    });
    if (moved) await relocateMessage(store, account.grantId, input.messageId, moved);
    return this.syncAfter(account.grantId, moved?.folderPath ?? location.folderPath);
  }

  /** Outside Trash a delete is a move to Trash; in Trash, or hard, it is gone (as locally). */
  private async deleteMessage(account: ConnectedAccount, input: CommandInput<"deleteMessage">) {
    const { store } = this.deps;
    const location = providerLocationOf(store, account.grantId, input.messageId);
    if (!location) return undefined;
    const trash = this.pathOf(account.grantId, "trash");
    const purge = input.hard || trash === undefined || trash === location.folderPath;
    const moved = await this.imap(account, async (client) => {
      await openChecked(client, location.folderPath, location.uidValidity);
      if (!purge) return moveTo(client, location.uid, trash);
      await client.messageDelete(String(location.uid), { uid: true });
      return undefined;
    });
    if (moved) await relocateMessage(store, account.grantId, input.messageId, moved);
    return this.syncAfter(account.grantId, location.folderPath);
  }

  private async createFolder(account: ConnectedAccount, input: CommandInput<"createFolder">) {
    const parentPath = input.parentId ? this.pathOf(account.grantId, input.parentId) : undefined;
    if (input.parentId && parentPath === undefined) throw notAtProvider(input.parentId);
    const path = await this.imap(account, async (client) => {
      const delimiter = await delimiterOf(client);
      const levels = input.name.split(FOLDER_NAME_DELIMITER).join(delimiter);
      const created = await client.mailboxCreate(parentPath ? `${parentPath}${delimiter}${levels}` : levels);
      return created.path;
    });
    const after: AfterLocal<"createFolder"> = async (reply) => {
      await saveFolderSyncState(this.deps.store, emptyState(account.grantId, path, reply.id));
      this.deps.connectedSync.syncNow(account.grantId, path).catch(() => {});
    };
    return after;
  }

  private async updateFolder(account: ConnectedAccount, input: CommandInput<"updateFolder">) {
    const { store } = this.deps;
    const from = this.pathOf(account.grantId, input.folderId);
    const renamed = input.name !== undefined || input.parentId !== undefined;
    if (!renamed || from === undefined || isSystemFolder(store, account.grantId, input.folderId))
      return undefined;
    const folder = getFolder(store, account.grantId, input.folderId);
    const name = input.name ?? folder?.row.name.split(FOLDER_NAME_DELIMITER).pop() ?? "";
    const parentId = input.parentId !== undefined ? input.parentId : (folder?.row.parentId ?? null);
    const parentPath = parentId ? this.pathOf(account.grantId, parentId) : undefined;
    if (parentId && parentPath === undefined) throw notAtProvider(parentId);
    const to = await this.imap(account, async (client) => {
      const delimiter = await delimiterOf(client);
      const levels = name.split(FOLDER_NAME_DELIMITER).join(delimiter);
      const next = parentPath ? `${parentPath}${delimiter}${levels}` : levels;
      if (next !== from) await client.mailboxRename(from, next);
      return next;
    });
    if (to === from) return undefined;
    const state = folderSyncState(store, account.grantId, from);
    await forgetFolder(store, account.grantId, from);
    await saveFolderSyncState(store, {
      ...(state ?? emptyState(account.grantId, to, input.folderId)),
      folderPath: to,
    });
    return this.syncAfter(account.grantId, to);
  }

  private async deleteFolder(account: ConnectedAccount, input: CommandInput<"deleteFolder">) {
    const path = this.pathOf(account.grantId, input.folderId);
    if (path === undefined || isSystemFolder(this.deps.store, account.grantId, input.folderId))
      return undefined;
    await this.imap(account, (client) => client.mailboxDelete(path));
    await forgetFolder(this.deps.store, account.grantId, path);
    return undefined;
  }

  /** The provider path of a local folder of the grant, from the sync's folder map. */
  private pathOf(grantId: string, folderId: string): string | undefined {
    return folderSyncStates(this.deps.store, grantId).find((s) => s.folderId === folderId)?.folderPath;
  }

  private imap<T>(account: ConnectedAccount, work: (client: ImapFlow) => Promise<T>): Promise<T> {
    return withProviderImap(account.imap, this.deps.tls, work, this.deps.timeouts);
  }

  /** After the local change: the sync looks at the folder again (what else changed there). */
  private syncAfter(grantId: string, folderPath: string): AfterLocal<never> {
    return async () => {
      this.deps.connectedSync.syncNow(grantId, folderPath).catch(() => {});
    };
  }
}

function imapFlags(flags: { seen?: boolean; flagged?: boolean; answered?: boolean }) {
  const add: string[] = [];
  const remove: string[] = [];
  const pairs: [boolean | undefined, string][] = [
    [flags.seen, "\\Seen"],
    [flags.flagged, "\\Flagged"],
    [flags.answered, "\\Answered"],
  ];
  for (const [value, flag] of pairs) {
    if (value === true) add.push(flag);
    else if (value === false) remove.push(flag);
  }
  return { add, remove };
}

/** Opens the folder, refusing when its UIDVALIDITY is not the one the index knows the UID under. */
async function openChecked(client: ImapFlow, path: string, uidValidity: number): Promise<void> {
  const box = await client.mailboxOpen(path);
  if (Number(box.uidValidity) !== uidValidity) {
    throw new ProviderError(
      "command",
      `${path} changed at the provider (UIDVALIDITY ${box.uidValidity}, known ${uidValidity}); retry once the account has synced`,
    );
  }
}

async function moveTo(client: ImapFlow, uid: number, target: string) {
  const result = await client.messageMove(String(uid), target, { uid: true });
  if (!result) throw new ProviderError("command", `the provider did not move the message to ${target}`);
  const newUid = result.uidMap?.get(uid);
  if (newUid === undefined || result.uidValidity === undefined) return undefined; // no UIDPLUS: the sync finds it
  return { folderPath: target, uidValidity: Number(result.uidValidity), uid: newUid };
}

async function delimiterOf(client: ImapFlow): Promise<string> {
  const inbox = (await client.list()).find((box) => box.path.toUpperCase() === "INBOX");
  return inbox?.delimiter || "/";
}

function isSystemFolder(store: Store, grantId: string, folderId: string): boolean {
  return getFolder(store, grantId, folderId)?.row.systemFolder ?? false;
}

function notAtProvider(folderId: string): ProviderError {
  return new ProviderError(
    "command",
    `folder ${folderId} is not known at the provider yet; retry once the account has synced`,
  );
}

function emptyState(grantId: string, folderPath: string, folderId: string) {
  return {
    grantId,
    folderPath,
    folderId,
    uidValidity: null,
    uidNext: null,
    highestModseq: null,
    initialLowUid: null,
    initialDone: false,
  };
}
