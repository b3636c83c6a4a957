import type { ImapFlow, MailboxObject } from "imapflow";
import {
  type FolderSyncState,
  folderSyncState,
  localMessagesOfFolder,
  saveFolderSyncState,
} from "../provider-index.ts";
import type { MappedFolder } from "./folder-map.ts";
import { flagsFromProvider } from "./provider-flags.ts";
import { reindexFolder } from "./reindex.ts";
import { FETCH_BATCH, FULL_FETCH, storeMessages } from "./store-fetched.ts";
import { type SyncContext, windowStartMs } from "./sync-context.ts";

/**
 * One pass over one provider folder, with it selected read-only: a UIDVALIDITY change re-indexes
 * it; until its initial sync is done, that goes on (newest first, resumable); then new messages
 * (message.created), flag changes (message.updated: CHANGEDSINCE where CONDSTORE is offered, every
 * flag otherwise) and expunges (message.deleted) since the last pass.
 */
export async function syncFolder(ctx: SyncContext, client: ImapFlow, folder: MappedFolder): Promise<void> {
  const lock = await client.getMailboxLock(folder.path, { readOnly: true });
  try {
    const box = client.mailbox as MailboxObject;
    const seen = { uidValidity: Number(box.uidValidity), uidNext: box.uidNext, modseq: modseqOf(box) };
    let state = folderSyncState(ctx.store, ctx.grantId, folder.path);
    if (state && state.uidValidity !== null && state.uidValidity !== seen.uidValidity) {
      await reindexFolder(ctx, client, folder, state.uidValidity, seen.uidValidity);
      await save(ctx, { ...state, ...stateOf(seen), initialDone: true });
      return;
    }
    if (!state || state.uidValidity === null) {
      // The UIDs below uidNext now are history (no webhooks); those above arrive live.
      state = {
        grantId: ctx.grantId,
        folderPath: folder.path,
        folderId: folder.folderId,
        ...stateOf(seen),
        initialLowUid: null,
        initialDone: false,
      };
      await save(ctx, state);
    }
    if (!state.initialDone) state = await initialSync(ctx, client, folder, state);
    if (ctx.stopping()) return;
    await catchUp(ctx, client, folder, state, seen);
  } finally {
    lock.release();
  }
}

function modseqOf(box: MailboxObject): number | null {
  return box.highestModseq === undefined ? null : Number(box.highestModseq);
}

function stateOf(seen: { uidValidity: number; uidNext: number; modseq: number | null }) {
  return { uidValidity: seen.uidValidity, uidNext: seen.uidNext, highestModseq: seen.modseq };
}

function save(ctx: SyncContext, state: FolderSyncState): Promise<void> {
  return saveFolderSyncState(ctx.store, state);
}

/**
 * The last 90 days below the UIDNEXT first seen, newest first, a batch at a time; after each
 * batch the lowest UID stored is saved, so a restart resumes below it (and a batch offered twice
 * is stored once: syncMessage knows each provider UID it stored).
 */
async function initialSync(
  ctx: SyncContext,
  client: ImapFlow,
  folder: MappedFolder,
  state: FolderSyncState,
): Promise<FolderSyncState> {
  const below = state.initialLowUid ?? state.uidNext ?? 0;
  const found = await client.search({ since: new Date(windowStartMs(ctx)) }, { uid: true });
  const uids = (found || []).filter((uid) => uid < below).sort((a, b) => b - a);
  const batches: number[][] = [];
  for (let i = 0; i < uids.length; i += FETCH_BATCH) batches.push(uids.slice(i, i + FETCH_BATCH));
  const fetch = (batch: number[] | undefined) => {
    if (!batch) return null;
    const fetching = client.fetchAll(batch.join(","), FULL_FETCH, { uid: true });
    fetching.catch(() => {}); // awaited below; a failure must not surface as unhandled meanwhile
    return fetching;
  };
  let current = state;
  // The next batch is fetched while this one is stored: the provider and the writer work at once.
  let next = fetch(batches[0]);
  for (const [i, batch] of batches.entries()) {
    const messages = (await next) ?? [];
    next = ctx.stopping() ? null : fetch(batches[i + 1]);
    await storeMessages(ctx, folder, current.uidValidity ?? 0, messages, false);
    current = { ...current, initialLowUid: Math.min(...batch) };
    await save(ctx, current);
    if (ctx.stopping()) return current;
  }
  current = { ...current, initialDone: true };
  await save(ctx, current);
  return current;
}

/** What changed at the provider since the last pass, applied locally with their webhooks. */
async function catchUp(
  ctx: SyncContext,
  client: ImapFlow,
  folder: MappedFolder,
  state: FolderSyncState,
  seen: { uidValidity: number; uidNext: number; modseq: number | null },
): Promise<void> {
  const uidValidity = seen.uidValidity;
  const unchanged =
    seen.modseq !== null && seen.modseq === state.highestModseq && seen.uidNext === state.uidNext;
  if (unchanged) return;
  const from = state.uidNext ?? 1;
  if (seen.uidNext > from) {
    // In batches: after a long disconnection thousands may be waiting.
    const uids = ((await client.search({ uid: `${from}:*` }, { uid: true })) || []).filter(
      (uid) => uid >= from,
    );
    for (let i = 0; i < uids.length; i += FETCH_BATCH) {
      const batch = uids.slice(i, i + FETCH_BATCH).join(",");
      await storeMessages(
        ctx,
        folder,
        uidValidity,
        await client.fetchAll(batch, FULL_FETCH, { uid: true }),
        true,
      );
    }
  }
  const local = localMessagesOfFolder(ctx.store, ctx.grantId, folder.path, uidValidity);
  await applyFlagChanges(ctx, client, local, state.highestModseq, seen.modseq);
  await applyExpunges(ctx, client, local);
  await save(ctx, { ...state, ...stateOf(seen) });
}

async function applyFlagChanges(
  ctx: SyncContext,
  client: ImapFlow,
  local: Map<number, string>,
  sinceModseq: number | null,
  modseq: number | null,
): Promise<void> {
  if (local.size === 0) return;
  const condstore = sinceModseq !== null && modseq !== null;
  if (condstore && modseq === sinceModseq) return;
  const changed = await client.fetchAll(
    "1:*",
    { uid: true, flags: true },
    condstore ? { uid: true, changedSince: sinceModseq } : { uid: true },
  );
  const flags = changed.flatMap((m) => {
    const messageId = local.get(m.uid);
    return messageId ? [{ messageId, flags: flagsFromProvider(m.flags) }] : [];
  });
  if (flags.length > 0) await ctx.mailboxes.ask(ctx.grantId, "applyProviderChanges", { flags });
}

/** Local messages whose UID the provider no longer has were expunged there (or moved away). */
async function applyExpunges(ctx: SyncContext, client: ImapFlow, local: Map<number, string>): Promise<void> {
  if (local.size === 0) return;
  const present = new Set((await client.search({ all: true }, { uid: true })) || []);
  const removed = [...local].filter(([uid]) => !present.has(uid)).map(([, id]) => id);
  if (removed.length > 0) await ctx.mailboxes.ask(ctx.grantId, "applyProviderChanges", { removed });
}
