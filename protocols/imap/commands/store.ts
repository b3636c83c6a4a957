import type { FlagChange } from "../../../src/domain/flags.ts";
import { BadArgs } from "../args.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import { bad, no, ok } from "../completion.ts";
import { flagList } from "../encode.ts";
import { parseFlags } from "../flags.ts";
import { formatSequenceSet } from "../sequence.ts";

/** STORE / UID STORE, with CONDSTORE's UNCHANGEDSINCE and MODIFIED. */
export const store: ImapCommand = {
  name: "STORE",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const set = args.sequenceSet();
    let unchangedSince: number | undefined;
    const modifiers = args.takeList();
    if (modifiers) {
      const [name, value, ...rest] = modifiers;
      if (
        rest.length > 0 ||
        name?.kind !== "atom" ||
        name.value.toUpperCase() !== "UNCHANGEDSINCE" ||
        value?.kind !== "atom" ||
        !/^\d{1,19}$/.test(value.value)
      ) {
        throw new BadArgs("the only STORE modifier is (UNCHANGEDSINCE mod-sequence)");
      }
      unchangedSince = Number(value.value);
    }
    const op = args.atom("store operation").toUpperCase();
    const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(op);
    if (!m) throw new BadArgs("the operation must be FLAGS, +FLAGS or -FLAGS (optionally .SILENT)");
    const flagTokens = args.takeList() ?? collectRest(args);
    args.end();
    const flags = parseFlags(flagTokens);
    const silent = m[2] !== undefined;
    const change: FlagChange =
      m[1] === "+"
        ? { mode: "add", flags }
        : m[1] === "-"
          ? { mode: "remove", flags }
          : { mode: "set", flags };
    if (selected.readOnly) return no("The mailbox is read-only (EXAMINE)", "READ-ONLY");

    const uids = selected.uidsOf(set, call.uid);
    if (uids === null) return bad("Invalid message sequence number");
    if (unchangedSince !== undefined) {
      session.enableCondstore();
    }
    if (uids.length === 0) return ok(`${call.uid ? "UID STORE" : "STORE"} completed`);
    const reply = await session.ctx.mailboxes.ask(session.grantId, "storeFlags", {
      folderId: selected.folderId,
      uids,
      change,
      ...(unchangedSince !== undefined && { unchangedSince }),
    });
    for (const msg of [...reply.updated, ...reply.unchanged].sort((a, b) => a.uid - b.uid)) {
      for (const line of selected.announceKeywords(msg.flags.keywords)) session.send(line);
      const seq = selected.seqOf(msg.uid);
      if (msg.changed) selected.markReported(msg.uid, msg.modseq);
      if (seq === 0) continue;
      const uidPart = call.uid ? ` UID ${msg.uid}` : "";
      const modseq = session.condstore ? ` MODSEQ (${msg.modseq})` : "";
      if (!silent) {
        session.send(
          `* ${seq} FETCH (FLAGS ${flagList(msg.flags, selected.recent.has(msg.uid))}${uidPart}${modseq})`,
        );
      } else if (session.condstore && msg.changed) {
        session.send(`* ${seq} FETCH (${uidPart.trim()}${uidPart ? " " : ""}MODSEQ (${msg.modseq}))`);
      }
    }
    if (reply.modified.length > 0) {
      const modified = call.uid
        ? reply.modified
        : reply.modified.map((uid) => selected.seqOf(uid)).filter((s) => s > 0);
      return ok(
        "Some messages were modified meanwhile and left alone",
        `MODIFIED ${formatSequenceSet(modified.sort((a, b) => a - b))}`,
      );
    }
    return ok(`${call.uid ? "UID STORE" : "STORE"} completed`);
  },
};

/** `STORE 1 +FLAGS \Seen \Flagged` (flags without parentheses). */
function collectRest(args: { remaining: number; next(name: string): import("../parser.ts").Token }) {
  const out = [];
  while (args.remaining > 0) out.push(args.next("flag"));
  return out;
}
