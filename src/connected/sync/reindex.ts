import type { ImapFlow } from "imapflow";
import { localMessagesOfFolder, relocateMessages } from "../provider-index.ts";
import { fingerprintOf, messageFingerprints } from "./fingerprints.ts";
import type { MappedFolder } from "./folder-map.ts";
import { FETCH_BATCH, FULL_FETCH, storeMessages } from "./store-fetched.ts";
import { type SyncContext, windowStartMs } from "./sync-context.ts";

/**
 * A folder whose UIDVALIDITY changed (recreated, or the provider rebuilt its index): every UID
 * known for it is void. Each provider message is matched to the local copy it already is
 * (Message-ID and size, or INTERNALDATE and size without a Message-ID) and only re-located;
 * what matches nothing is stored as history (no message.created), and local copies the provider
 * no longer has are deleted (message.deleted).
 */
export async function reindexFolder(
  ctx: SyncContext,
  client: ImapFlow,
  folder: MappedFolder,
  oldUidValidity: number,
  uidValidity: number,
): Promise<void> {
  const known = localMessagesOfFolder(ctx.store, ctx.grantId, folder.path, oldUidValidity);
  const byFingerprint = new Map<string, string[]>();
  for (const [id, fingerprint] of messageFingerprints(ctx.store, [...known.values()])) {
    byFingerprint.set(fingerprint, [...(byFingerprint.get(fingerprint) ?? []), id]);
  }
  const uids = ((await client.search({ since: new Date(windowStartMs(ctx)) }, { uid: true })) || []).sort(
    (a, b) => b - a,
  );
  const relocated: { messageId: string; uid: number }[] = [];
  const missing: number[] = [];
  for (let i = 0; i < uids.length; i += FETCH_BATCH) {
    const batch = uids.slice(i, i + FETCH_BATCH).join(",");
    for (const m of await client.fetchAll(
      batch,
      { uid: true, size: true, internalDate: true, envelope: true },
      { uid: true },
    )) {
      const date = m.internalDate ? new Date(m.internalDate).getTime() : 0;
      const candidates = byFingerprint.get(fingerprintOf(m.envelope?.messageId, m.size ?? 0, date));
      const messageId = candidates?.shift();
      if (messageId) relocated.push({ messageId, uid: m.uid });
      else missing.push(m.uid);
    }
  }
  await relocateMessages(ctx.store, ctx.grantId, folder.path, uidValidity, relocated);
  for (let i = 0; i < missing.length; i += FETCH_BATCH) {
    const batch = missing.slice(i, i + FETCH_BATCH).join(",");
    await storeMessages(
      ctx,
      folder,
      uidValidity,
      await client.fetchAll(batch, FULL_FETCH, { uid: true }),
      false,
    );
  }
  const gone = [...byFingerprint.values()].flat();
  if (gone.length > 0) await ctx.mailboxes.ask(ctx.grantId, "applyProviderChanges", { removed: gone });
  ctx.log.info(
    {
      grant_id: ctx.grantId,
      folder: folder.path,
      relocated: relocated.length,
      stored: missing.length,
      removed: gone.length,
    },
    "connected sync: folder re-indexed after a UIDVALIDITY change",
  );
}
