/**
 * SORT / UID SORT (RFC 5256, RFC 5957 SORT=DISPLAY), with RETURN (RFC 5267 ESORT: MIN, MAX, ALL,
 * COUNT; CONTEXT=SORT: PARTIAL, UPDATE). The search criteria are SEARCH's; the order comes from
 * the keys stored on the message rows (src/mailbox/imap-ordering.ts), no raw message is read.
 */
import { orderingRows } from "../../../src/mailbox/imap-ordering.ts";
import type { Args } from "../args.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { CommandError, no, ok } from "../completion.ts";
import type { Token } from "../parser.ts";
import { type SearchKey, SearchParser, usesModseq } from "../search-keys.ts";
import { esearchResponse, parseReturnOptions } from "../search-return.ts";
import type { SelectedMailbox } from "../selected.ts";
import { parseSortProgram, type Sortable, type SortCriterion, sortMessages } from "../sort-program.ts";
import { keepUpdated } from "./cancelupdate.ts";
import { evaluate } from "./search.ts";

const CHARSETS = new Set(["UTF-8", "US-ASCII"]);

export const sort: ImapCommand = {
  name: "SORT",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const returns = parseReturnOptions(args);
    const program = parseSortProgram(args.list("sort criteria"));
    const key = searchCriteria(args);
    const found = selection(session, selected, key);
    const uids = found.sorted(program);
    const numbers = call.uid ? uids : uids.map((uid) => selected.seqOf(uid));
    if (returns) {
      if (returns.update)
        keepUpdated(session, call, () => selection(session, selected, key).sorted(program), uids, true);
      session.send(esearchResponse(call.tag, call.uid, numbers, returns, found.modseq));
    } else {
      const list = numbers.length > 0 ? ` ${numbers.join(" ")}` : "";
      session.send(`* SORT${list}${found.modseq !== null ? ` (MODSEQ ${found.modseq})` : ""}`);
    }
    return ok(`${call.uid ? "UID SORT" : "SORT"} completed`);
  },
};

/** `charset search-criteria` after the sort (or thread) criteria: the search key, or NO [BADCHARSET]. */
export function searchCriteria(args: Args): SearchKey {
  const charset = args.astring("charset").toUpperCase();
  if (!CHARSETS.has(charset))
    throw new CommandError(no(`Unsupported charset ${charset.slice(0, 30)}`, "BADCHARSET (UTF-8 US-ASCII)"));
  const rest: Token[] = [];
  while (args.remaining > 0) rest.push(args.next("search key"));
  return new SearchParser(rest).all();
}

/** The messages of the client's view a search key selects, with the rows SORT and THREAD order. */
export interface Selection {
  items: Sortable[];
  /** The highest MODSEQ of the matches when the key searched by MODSEQ (CONDSTORE), else null. */
  modseq: number | null;
  /** The UIDs in the program's order. */
  sorted(program: readonly SortCriterion[]): number[];
}

export function selection(session: CommandSession, selected: SelectedMailbox, key: SearchKey): Selection {
  const modseqSearch = usesModseq(key);
  if (modseqSearch) session.enableCondstore();
  // SEARCH ALL needs no evaluation: every message of the view.
  const matches = key.k === "all" ? null : evaluate(session, selected, key);
  const wanted = matches ? new Set(matches.map((m) => m.uid)) : null;
  const items: Sortable[] = [];
  for (const row of orderingRows(session.ctx.store, session.grantId, selected.folderId)) {
    const seq = selected.seqOf(row.uid);
    if (seq > 0 && (!wanted || wanted.has(row.uid))) items.push({ seq, row });
  }
  const modseq =
    modseqSearch && matches && matches.length > 0
      ? matches.reduce((max, m) => Math.max(max, m.modseq), 0)
      : null;
  return { items, modseq, sorted: (program) => sortMessages(items, program).map((m) => m.row.uid) };
}
