import { messageHeaders } from "../../../src/mail/message-headers.ts";
import { queryText } from "../../../src/mail/search/tokens.ts";
import { fullTextUids, type SearchRow, searchRows } from "../../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../../src/mailbox/messages.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { no, ok } from "../completion.ts";
import { type SearchKey, SearchParser, usesModseq } from "../search-keys.ts";
import { esearchResponse, parseReturnOptions } from "../search-return.ts";
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
    const maxModseq = modseqSearch && matches.length > 0 ? Math.max(...matches.map((m) => m.modseq)) : null;
    if (returns) {
      const uidsOf = (list: Match[]) => list.map((m) => m.uid);
      if (returns.update)
        keepUpdated(session, call, () => uidsOf(evaluate(session, selected, key)), uidsOf(matches));
      session.send(esearchResponse(call.tag, call.uid, numbers, returns, maxModseq));
    } else {
      const list = numbers.length > 0 ? ` ${numbers.join(" ")}` : "";
      session.send(`* SEARCH${list}${maxModseq !== null ? ` (MODSEQ ${maxModseq})` : ""}`);
    }
    return ok(`${call.uid ? "UID SEARCH" : "SEARCH"} completed`);
  },
};

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
  private readonly fts = new Map<string, Set<number>>();
  private readonly headers = new Map<number, { name: string; value: string }[]>();
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
        const t = key.sent ? (row.dateHeader ?? row.internalDate) : row.internalDate;
        const day = Math.floor(t / DAY) * DAY;
        if (key.op === "before") return day < key.day;
        if (key.op === "on") return day === key.day;
        return day >= key.day;
      }
      case "size":
        return key.op === "larger" ? row.size > key.n : row.size < key.n;
      case "header":
        return this.header(row, key.name, key.value);
      case "text":
        return (
          this.fullText(row, key.value, null) ||
          ["subject", "from", "to", "cc", "bcc"].some((h) => this.header(row, h, key.value))
        );
      case "body":
        return this.fullText(row, key.value, "body");
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
        if (list.length === 0) return needle === "" && this.rawHeader(row, name) !== null;
        return list.some((a) => `${a.name ?? ""} <${a.email}>`.toLowerCase().includes(needle));
      }
      case "message-id":
        return row.messageIdHeader?.toLowerCase().includes(needle) ?? false;
      default: {
        return this.rawHeader(row, name)?.toLowerCase().includes(needle) ?? false;
      }
    }
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

  /** TEXT / BODY through the full-text index (words, the last one as a prefix). */
  private fullText(row: SearchRow, value: string, column: "body" | null): boolean {
    const cacheKey = `${column ?? "*"}\u0000${value}`;
    let set = this.fts.get(cacheKey);
    if (!set) {
      const text = value.trim() === "" ? "" : queryText(value, true);
      if (value.trim() === "") set = new Set(this.selected.uids);
      else if (text === null) set = new Set();
      else {
        const phrase = `"${text.replaceAll('"', '""')}" *`;
        const match = column ? `{${column}} : ${phrase}` : phrase;
        try {
          set = fullTextUids(this.session.ctx.store, this.session.grantId, this.selected.folderId, match);
        } catch {
          set = new Set();
        }
      }
      this.fts.set(cacheKey, set);
    }
    return set.has(row.uid);
  }
}
