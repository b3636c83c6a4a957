import type { FetchMessageObject } from "imapflow";
import type { MappedFolder } from "./folder-map.ts";
import { flagsFromProvider } from "./provider-flags.ts";
import { type SyncContext, windowStartMs } from "./sync-context.ts";

/** Messages fetched with their bytes per round trip (the initial sync's batch). */
export const FETCH_BATCH = 250;

/** What a full message fetch asks for: everything the local copy is made from. */
export const FULL_FETCH = { uid: true, flags: true, internalDate: true, size: true, source: true } as const;

/** Stores provider messages in the local folder, in one go (the actor commits them as a batch). */
export async function storeMessages(
  ctx: SyncContext,
  folder: MappedFolder,
  uidValidity: number,
  messages: FetchMessageObject[],
  announce: boolean,
): Promise<number> {
  const cutoff = windowStartMs(ctx);
  const asks = messages
    .filter((m) => m.source && (!m.internalDate || toMs(m.internalDate) >= cutoff))
    .filter((m) => hasMessageId(m.source as Buffer) || skipped(ctx, m.uid))
    .map((m) =>
      ctx.mailboxes
        .ask(ctx.grantId, "syncMessage", {
          folderId: folder.folderId,
          raw: new Uint8Array(m.source as Buffer),
          flags: flagsFromProvider(m.flags),
          internalDate: m.internalDate ? Math.floor(toMs(m.internalDate) / 1000) : undefined,
          at: { folderPath: folder.path, uidValidity, uid: m.uid },
          announce,
        })
        .then((r) => (r.stored ? 1 : 0))
        .catch((err) => {
          // One message the local store refuses (quota, a parser's limit) must not stop the sync.
          ctx.log.warn(
            { grant_id: ctx.grantId, uid: m.uid, err: String(err) },
            "connected sync: message not stored",
          );
          return 0;
        }),
    );
  return (await Promise.all(asks)).reduce<number>((a, b) => a + b, 0);
}

function toMs(date: Date | string): number {
  return typeof date === "string" ? Date.parse(date) : date.getTime();
}

/** The header block's end: an empty line (CRLF, or a bare LF some stores keep). */
const HEADER_END = /\r?\n\r?\n/;
const MESSAGE_ID_FIELD = /(^|\n)message-id[ \t]*:[ \t]*(\r?\n[ \t]+)?\S/i;

/**
 * The seed's rule for connected accounts (imap-connector.txt, as Nylas): a message must conform
 * to RFC 5322 with at least a Message-ID; one without is ignored, not stored. Other charsets are
 * stored as received (the body decoded where its charset is known).
 */
export function hasMessageId(raw: Uint8Array): boolean {
  const text = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 256 * 1024)).toString(
    "latin1",
  );
  const end = text.search(HEADER_END);
  return MESSAGE_ID_FIELD.test(end < 0 ? text : text.slice(0, end + 1));
}

function skipped(ctx: SyncContext, uid: number): false {
  ctx.log.info({ grant_id: ctx.grantId, uid }, "connected sync: message without a Message-ID ignored");
  return false;
}
