import { dateHeaderDay } from "../../../src/mail/date-header.ts";
import type { ImapEnvelope } from "../../../src/mail/envelope.ts";
import { decodeHeaderText } from "../../../src/mail/header-decode.ts";
import { messageHeaders } from "../../../src/mail/message-headers.ts";
import { type MimeNode, parseMimeTree } from "../../../src/mail/mime-tree.ts";
import { type ImapSearchText, imapSearchNeedle, imapSearchText } from "../../../src/mail/search/imap-text.ts";
import {
  folderEnvelopes,
  type SearchRow,
  searchRows,
  searchTextUids,
  unindexedMessages,
} from "../../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../../src/mailbox/messages.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { no, ok } from "../completion.ts";
import { type SearchKey, SearchParser, usesModseq } from "../search-keys.ts";
import { esearchResponse, parseReturnOptions, type ReturnOptions } from "../search-return.ts";
import type { SelectedMailbox } from "../selected.ts";
import { inSet } from "../sequence.ts";
import { keepUpdated } from "./cancelupdate.ts";

const CHARSETS = new Set(["UTF-8", "US-ASCII"]);
const DAY = 86_400;

/** SEARCH / UID SEARCH, with CHARSET, MODSEQ (CONDSTORE) and RETURN (ESEARCH). */
export const search: ImapCommand = {
  name: "SEARCH",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const returns = parseReturnOptions(args);
    if (args.takeAtom("CHARSET")) {
      const charset = args.astring("charset").toUpperCase();
      if (!CHARSETS.has(charset))
        return no(`Unsupported charset ${charset.slice(0, 30)}`, "BADCHARSET (UTF-8 US-ASCII)");
    }
    const rest: import("../parser.ts").Token[] = [];
    while (args.remaining > 0) rest.push(args.next("search key"));
    const key = new SearchParser(rest).all();
    const modseqSearch = usesModseq(key);
    if (modseqSearch) {
      session.enableCondstore();
    }
    const matches = evaluate(session, selected, key);
    const numbers = matches.map((m) => (call.uid ? m.uid : m.seq));
    if (returns) {
      const uidsOf = (list: Match[]) => list.map((m) => m.uid);
      if (returns.update)
        keepUpdated(session, call, () => uidsOf(evaluate(session, selected, key)), uidsOf(matches));
      const maxModseq = modseqSearch ? highestModseq(returnedMatches(matches, returns)) : null;
      session.send(esearchResponse(call.tag, call.uid, numbers, returns, maxModseq));
    } else {
      const maxModseq = modseqSearch ? highestModseq(matches) : null;
      const list = numbers.length > 0 ? ` ${numbers.join(" ")}` : "";
      session.send(`* SEARCH${list}${maxModseq !== null ? ` (MODSEQ ${maxModseq})` : ""}`);
    }
    return ok(`${call.uid ? "UID SEARCH" : "SEARCH"} completed`);
  },
};

/**
 * The messages an ESEARCH answer reports: with only MIN and/or MAX, those; else every match
 * (RFC 7162 §3.1.5: MODSEQ is the highest of the messages returned).
 */
function returnedMatches(matches: Match[], returns: ReturnOptions): Match[] {
  if (returns.all || returns.count || returns.partial || matches.length === 0) return matches;
  const out: Match[] = [];
  if (returns.min) out.push(matches[0] as Match);
  if (returns.max) out.push(matches[matches.length - 1] as Match);
  return out;
}

/** Null when there is no match: no MODSEQ is reported then. */
function highestModseq(matches: Match[]): number | null {
  let high: number | null = null;
  for (const m of matches) if (high === null || m.modseq > high) high = m.modseq;
  return high;
}

interface Match {
  seq: number;
  uid: number;
  modseq: number;
}

/** The messages of the client's view that match, in sequence order. */
export function evaluate(session: CommandSession, selected: SelectedMailbox, key: SearchKey): Match[] {
  const rows = searchRows(session.ctx.store, session.grantId, selected.folderId);
  const ev = new Evaluator(session, selected);
  const out: Match[] = [];
  for (const row of rows) {
    const seq = selected.seqOf(row.uid);
    if (seq === 0) continue;
    if (ev.test(key, row, seq)) out.push({ seq, uid: row.uid, modseq: row.modseq });
  }
  return out;
}

class Evaluator {
  private readonly texts = new Map<string, Set<number>>();
  private unindexedRows: { uid: number; text: () => ImapSearchText }[] | undefined;
  private readonly headers = new Map<number, { name: string; value: string }[]>();
  private envelopes: Map<number, string> | undefined;
  private readonly sentDays = new Map<number, number>();
  private readonly maxSeq: number;
  private readonly maxUid: number;

  constructor(
    private readonly session: CommandSession,
    private readonly selected: SelectedMailbox,
  ) {
    this.maxSeq = selected.exists;
    this.maxUid = selected.uids[selected.uids.length - 1] ?? 0;
  }

  test(key: SearchKey, row: SearchRow, seq: number): boolean {
    switch (key.k) {
      case "all":
        return true;
      case "flag":
        return !!row[key.flag] === key.value;
      case "keyword": {
        const has = (JSON.parse(row.keywordsJson) as string[]).some(
          (k) => k.toLowerCase() === key.name.toLowerCase(),
        );
        return has === key.value;
      }
      case "recent":
        return this.selected.recent.has(row.uid);
      case "new":
        return this.selected.recent.has(row.uid) && !row.seen;
      case "old":
        return !this.selected.recent.has(row.uid);
      case "date": {
        const day = key.sent ? this.sentDay(row) : Math.floor(row.internalDate / DAY) * DAY;
        if (key.op === "before") return day < key.day;
        if (key.op === "on") return day === key.day;
        return day >= key.day;
      }
      case "size":
        return key.op === "larger" ? row.size > key.n : row.size < key.n;
      case "header":
        return this.header(row, key.name, key.value);
      case "text":
        return this.substring(row, key.value, true);
      case "body":
        return this.substring(row, key.value, false);
      case "seq":
        return inSet(key.set, seq, this.maxSeq);
      case "uid":
        return inSet(key.set, row.uid, this.maxUid);
      case "modseq":
        return row.modseq >= key.n;
      case "not":
        return !this.test(key.key, row, seq);
      case "or":
        return this.test(key.a, row, seq) || this.test(key.b, row, seq);
      case "and":
        return key.keys.every((k) => this.test(k, row, seq));
    }
  }

  /** Substring, case-insensitive, on decoded values; an empty string matches a present field. */
  private header(row: SearchRow, name: string, value: string): boolean {
    const needle = value.toLowerCase();
    switch (name) {
      case "subject":
        return row.subject?.toLowerCase().includes(needle) ?? false;
      case "from":
      case "to":
      case "cc":
      case "bcc": {
        const json = { from: row.fromJson, to: row.toJson, cc: row.ccJson, bcc: row.bccJson }[name];
        const list = JSON.parse(json) as { name?: string; email: string }[];
        if (list.length === 0 && needle === "") return this.rawHeader(row, name) !== null;
        if (list.some((a) => `${a.name ?? ""} <${a.email}>`.toLowerCase().includes(needle))) return true;
        return this.groupNames(row, name).some((g) => g.toLowerCase().includes(needle));
      }
      case "message-id":
        return row.messageIdHeader?.toLowerCase().includes(needle) ?? false;
      default: {
        return this.rawHeader(row, name)?.toLowerCase().includes(needle) ?? false;
      }
    }
  }

  /** The calendar day of the Date header in its own zone (else of the arrival, in UTC). */
  private sentDay(row: SearchRow): number {
    let day = this.sentDays.get(row.uid);
    if (day === undefined) {
      const date = this.envelope(row)?.date;
      day =
        (date ? dateHeaderDay(date) : null) ?? Math.floor((row.dateHeader ?? row.internalDate) / DAY) * DAY;
      this.sentDays.set(row.uid, day);
    }
    return day;
  }

  /** The names of the RFC 5322 groups in an address field ("undisclosed-recipients:;"). */
  private groupNames(row: SearchRow, field: "from" | "to" | "cc" | "bcc"): string[] {
    if (!this.envelopeJson(row)?.includes('"host":null')) return [];
    const addresses = this.envelope(row)?.[field] ?? [];
    return addresses.flatMap((a) =>
      a.host === null && a.mailbox !== null ? [decodeHeaderText(a.mailbox)] : [],
    );
  }

  private envelopeJson(row: SearchRow): string | undefined {
    this.envelopes ??= folderEnvelopes(this.session.ctx.store, this.session.grantId, this.selected.folderId);
    return this.envelopes.get(row.uid);
  }

  private envelope(row: SearchRow): ImapEnvelope | null {
    const json = this.envelopeJson(row);
    return json ? (JSON.parse(json) as ImapEnvelope) : null;
  }

  /** A top-level header field, decoded (all occurrences joined), or null when absent. */
  private rawHeader(row: SearchRow, name: string): string | null {
    let fields = this.headers.get(row.uid);
    if (!fields) {
      const raw = rawMessage(this.session.ctx.store, row.blobHash) ?? Buffer.alloc(0);
      fields = messageHeaders(raw, false).map((f) => ({ name: f.name.toLowerCase(), value: f.value }));
      this.headers.set(row.uid, fields);
    }
    const found = fields.filter((f) => f.name === name);
    return found.length === 0 ? null : found.map((f) => f.value).join("\n");
  }

  /**
   * TEXT / BODY: a substring of the message's search text (header and body, or body only),
   * case-insensitive. One scan of the folder's stored text per string; messages stored before
   * that text was kept are read from their bytes.
   */
  private substring(row: SearchRow, value: string, header: boolean): boolean {
    const needle = imapSearchNeedle(value);
    if (needle.trim() === "") return true;
    const cacheKey = `${header ? "T" : "B"}\u0000${needle}`;
    let set = this.texts.get(cacheKey);
    if (!set) {
      const { store } = this.session.ctx;
      set = searchTextUids(store, this.session.grantId, this.selected.folderId, needle, header);
      for (const m of this.unindexed()) {
        const text = m.text();
        if (text.body.includes(needle) || (header && text.header.includes(needle))) set.add(m.uid);
      }
      this.texts.set(cacheKey, set);
    }
    return set.has(row.uid);
  }

  private unindexed(): { uid: number; text: () => ImapSearchText }[] {
    if (!this.unindexedRows) {
      const { store } = this.session.ctx;
      this.unindexedRows = unindexedMessages(store, this.session.grantId, this.selected.folderId).map((m) => {
        let text: ImapSearchText | undefined;
        return {
          uid: m.uid,
          text: () => {
            if (!text) {
              const raw = rawMessage(store, m.blobHash) ?? Buffer.alloc(0);
              text = imapSearchText(
                raw,
                m.treeJson ? (JSON.parse(m.treeJson) as MimeNode) : parseMimeTree(raw),
              );
            }
            return text;
          },
        };
      });
    }
    return this.unindexedRows;
  }
}
