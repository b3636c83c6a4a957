import type { Flags } from "../../../src/domain/flags.ts";
import {
  type BinarySection,
  binarySection,
  UnknownTransferEncoding,
} from "../../../src/mail/binary-sections.ts";
import { encodeBodyStructure } from "../../../src/mail/bodystructure.ts";
import { encodeEnvelope } from "../../../src/mail/envelope.ts";
import type { MimeNode } from "../../../src/mail/mime-tree.ts";
import { fetchSection, partial, type SectionSpec } from "../../../src/mail/sections.ts";
import { type FetchRow, fetchRows, vanishedSince } from "../../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../../src/mailbox/messages.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { bad, fail, ok } from "../completion.ts";
import { flagList, internalDate } from "../encode.ts";
import { type FetchItem, type FetchRequest, parseFetchRequest, setsSeen } from "../fetch-items.ts";
import type { SelectedMailbox } from "../selected.ts";
import { formatSequenceSet, type SequenceSet } from "../sequence.ts";

export const fetch: ImapCommand = {
  name: "FETCH",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const set = args.sequenceSet();
    const request = parseFetchRequest(args);
    if (request.vanished && (!call.uid || !session.qresync)) {
      return bad("VANISHED needs UID FETCH and ENABLE QRESYNC");
    }
    const uids = selected.uidsOf(set, call.uid);
    if (uids === null) return bad("Invalid message sequence number");
    if (call.uid && !request.items.some((i) => i.kind === "UID")) request.items.unshift({ kind: "UID" });
    if (request.changedSince !== undefined || request.items.some((i) => i.kind === "MODSEQ")) {
      session.enableCondstore();
      if (!request.items.some((i) => i.kind === "MODSEQ")) request.items.push({ kind: "MODSEQ" });
    }
    if (request.vanished && request.changedSince !== undefined) {
      sendVanishedEarlier(session, selected, set, request.changedSince);
    }
    await sendFetch(session, selected, uids, request);
    return ok(call.uid ? "UID FETCH completed" : "FETCH completed");
  },
};

/** `* VANISHED (EARLIER) …`: UIDs of the set that left the folder after `modseq`. */
export function sendVanishedEarlier(
  session: CommandSession,
  selected: SelectedMailbox,
  set: SequenceSet | null,
  modseq: number,
): void {
  const gone = vanishedSince(session.ctx.store, session.grantId, selected.folderId, modseq);
  const max = Math.max(selected.uids[selected.uids.length - 1] ?? 0, ...gone.slice(-1));
  const inRange = set
    ? gone.filter((uid) => set.some(([a, b]) => uid >= a && uid <= (b === Infinity ? max : b)))
    : gone;
  if (inRange.length > 0) session.send(`* VANISHED (EARLIER) ${formatSequenceSet(inRange)}`);
}

const BATCH = 250;

/** The FETCH responses for `uids` (ascending, all in the view), streamed with backpressure. */
export async function sendFetch(
  session: CommandSession,
  selected: SelectedMailbox,
  uids: number[],
  request: FetchRequest,
): Promise<void> {
  const { store } = session.ctx;
  const columns = {
    envelope: request.items.some((i) => i.kind === "ENVELOPE"),
    bodystructure: request.items.some((i) => i.kind === "BODYSTRUCTURE" || i.kind === "BODY"),
    tree: request.items.some(
      (i) =>
        i.kind === "SECTION" ||
        i.kind === "BINARY" ||
        i.kind === "BINARY.SIZE" ||
        i.kind === "RFC822.HEADER" ||
        i.kind === "RFC822.TEXT",
    ),
  };
  const marksSeen = !selected.readOnly && request.items.some(setsSeen);
  for (const [lo, hi] of runs(selected, uids)) {
    let rows = fetchRows(store, session.grantId, selected.folderId, lo, hi, columns, request.changedSince);
    if (rows.length === 0) continue;
    const seenNow = new Set<number>();
    if (marksSeen) rows = await markSeen(session, selected, rows, seenNow);
    const chunks: (string | Uint8Array)[] = [];
    for (const row of rows) {
      const seq = selected.seqOf(row.uid);
      if (seq === 0) continue;
      renderMessage(session, selected, seq, row, request.items, seenNow.has(row.uid), chunks);
      if (selected.hasPending && (seenNow.has(row.uid) || request.items.some((i) => i.kind === "FLAGS"))) {
        selected.markReported(row.uid, row.modseq);
      }
    }
    // One write per run of text (a TLS record each), the raw bytes of literals between them.
    let text = "";
    for (const c of chunks) {
      if (typeof c === "string") {
        text += c;
        continue;
      }
      if (text) session.io.write(text);
      text = "";
      session.io.write(c);
    }
    if (text) session.io.write(text);
    await session.io.drained();
  }
}

/**
 * Contiguous runs of the view (so each is one UID range query), at most BATCH messages each.
 * `uids` are ascending and in the view.
 */
function runs(selected: SelectedMailbox, uids: number[]): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let prevIndex = -2;
  let count = 0;
  let lastUid = 0;
  for (const uid of uids) {
    const index = selected.seqOf(uid) - 1;
    if (index < 0) continue;
    if (start >= 0 && index === prevIndex + 1 && count < BATCH) {
      count++;
    } else {
      if (start >= 0) out.push([start, lastUid]);
      start = uid;
      count = 1;
    }
    prevIndex = index;
    lastUid = uid;
  }
  if (start >= 0) out.push([start, lastUid]);
  return out;
}

/** BODY[...] without PEEK, RFC822, RFC822.TEXT: set \Seen first, then report FLAGS too. */
async function markSeen(
  session: CommandSession,
  selected: SelectedMailbox,
  rows: FetchRow[],
  seenNow: Set<number>,
): Promise<FetchRow[]> {
  const unseen = rows.filter((r) => !r.seen).map((r) => r.uid);
  if (unseen.length === 0) return rows;
  const reply = await session.ctx.mailboxes.ask(session.grantId, "storeFlags", {
    folderId: selected.folderId,
    uids: unseen,
    change: { mode: "add", flags: { seen: true } },
  });
  const after = new Map(reply.updated.map((m) => [m.uid, m]));
  return rows.map((r) => {
    const m = after.get(r.uid);
    if (!m) return r;
    seenNow.add(r.uid);
    return { ...r, seen: 1, modseq: m.modseq };
  });
}

export function rowFlags(
  row: Pick<FetchRow, "seen" | "flagged" | "answered" | "draft" | "deleted" | "keywordsJson">,
): Flags {
  return {
    seen: !!row.seen,
    flagged: !!row.flagged,
    answered: !!row.answered,
    draft: !!row.draft,
    deleted: !!row.deleted,
    keywords: JSON.parse(row.keywordsJson) as string[],
  };
}

function renderMessage(
  session: CommandSession,
  selected: SelectedMailbox,
  seq: number,
  row: FetchRow,
  items: FetchItem[],
  flagsChanged: boolean,
  out: (string | Uint8Array)[],
): void {
  const parts: (string | Uint8Array)[] = [];
  let raw: Buffer | null | undefined;
  let tree: MimeNode | undefined;
  const loadRaw = (): Buffer => {
    if (raw === undefined) raw = rawMessage(session.ctx.store, row.blobHash);
    return raw ?? Buffer.alloc(0);
  };
  const loadTree = (): MimeNode | null => {
    if (tree === undefined && row.treeJson) tree = JSON.parse(row.treeJson) as MimeNode;
    return tree ?? null;
  };
  let wroteFlags = false;
  const literalItem = (label: string, bytes: Uint8Array | null, literal8 = false) => {
    if (bytes === null) {
      parts.push(`${label} NIL`);
      return;
    }
    parts.push(`${label} ${literal8 ? "~" : ""}{${bytes.length}}\r\n`, bytes);
  };
  const decoded = (spec: SectionSpec): BinarySection => {
    const t = loadTree();
    return (t ? decodedSection(loadRaw(), t, spec) : null) ?? { bytes: Buffer.alloc(0), literal8: false };
  };
  for (const item of items) {
    switch (item.kind) {
      case "UID":
        parts.push(`UID ${row.uid}`);
        break;
      case "FLAGS":
        parts.push(`FLAGS ${flagList(rowFlags(row), selected.recent.has(row.uid))}`);
        wroteFlags = true;
        break;
      case "INTERNALDATE":
        parts.push(`INTERNALDATE ${internalDate(row.internalDate)}`);
        break;
      case "RFC822.SIZE":
        parts.push(`RFC822.SIZE ${row.size}`);
        break;
      case "MODSEQ":
        parts.push(`MODSEQ (${row.modseq})`);
        break;
      case "ENVELOPE":
        parts.push(
          `ENVELOPE ${row.envelopeJson ? encodeEnvelope(JSON.parse(row.envelopeJson)) : EMPTY_ENVELOPE}`,
        );
        break;
      case "BODYSTRUCTURE":
      case "BODY": {
        const bs = row.bodystructureJson ? JSON.parse(row.bodystructureJson) : null;
        parts.push(
          `${item.kind} ${bs ? encodeBodyStructure(bs, item.kind === "BODYSTRUCTURE") : EMPTY_BODY}`,
        );
        break;
      }
      case "RFC822":
        literalItem("RFC822", loadRaw());
        break;
      case "RFC822.HEADER":
      case "RFC822.TEXT": {
        const t = loadTree();
        const bytes = t
          ? fetchSection(loadRaw(), t, item.kind === "RFC822.HEADER" ? "HEADER" : "TEXT")
          : null;
        literalItem(item.kind, bytes ?? Buffer.alloc(0));
        break;
      }
      case "SECTION": {
        const t = loadTree();
        // A section that names no part is an empty string, as Dovecot answers (not NIL).
        let bytes = (t ? fetchSection(loadRaw(), t, item.spec) : null) ?? Buffer.alloc(0);
        let label = `BODY[${item.label}]`;
        if (item.partial) {
          label += `<${item.partial.start}>`;
          bytes = partial(bytes, item.partial.start, item.partial.length);
        }
        literalItem(label, bytes);
        break;
      }
      case "BINARY": {
        const section = decoded(item.spec);
        let bytes = section.bytes;
        let label = `BINARY[${item.label}]`;
        if (item.partial) {
          label += `<${item.partial.start}>`;
          bytes = partial(bytes, item.partial.start, item.partial.length);
        }
        literalItem(label, bytes, section.literal8);
        break;
      }
      case "BINARY.SIZE":
        parts.push(`BINARY.SIZE[${item.label}] ${decoded(item.spec).bytes.length}`);
        break;
    }
  }
  if (flagsChanged && !wroteFlags) {
    // The \Seen this FETCH set, told first (after UID), where Dovecot tells it.
    const at = typeof parts[0] === "string" && parts[0].startsWith("UID ") ? 1 : 0;
    parts.splice(at, 0, `FLAGS ${flagList(rowFlags(row), selected.recent.has(row.uid))}`);
    wroteFlags = true;
  }
  if (wroteFlags && row.keywordsJson !== "[]") {
    for (const line of selected.announceKeywords(JSON.parse(row.keywordsJson))) out.push(`${line}\r\n`);
  }
  out.push(`* ${seq} FETCH (`);
  parts.forEach((p, i) => {
    // Items are separated by a space; literal bytes follow their "{n}\r\n" directly.
    if (i > 0 && typeof p === "string") out.push(" ");
    out.push(p);
  });
  out.push(")\r\n");
}

/** BINARY[…]: a part this server cannot decode ends the FETCH with NO [UNKNOWN-CTE] (RFC 3516). */
function decodedSection(raw: Uint8Array, tree: MimeNode, spec: SectionSpec): BinarySection | null {
  try {
    return binarySection(raw, tree, spec);
  } catch (e) {
    if (e instanceof UnknownTransferEncoding) fail(e.message, "UNKNOWN-CTE");
    throw e;
  }
}

const EMPTY_ENVELOPE = "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)";
const EMPTY_BODY = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)';
