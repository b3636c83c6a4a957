import { folderCounts } from "../../../src/mailbox/imap-folders.ts";
import { selectInfo } from "../../../src/mailbox/imap-messages.ts";
import { type Args, BadArgs } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { type Completion, no, ok } from "../completion.ts";
import type { Token } from "../parser.ts";
import { SelectedMailbox } from "../selected.ts";
import { parseSequenceSet, resolveUids, type SequenceSet } from "../sequence.ts";
import { sendFetch, sendVanishedEarlier } from "./fetch.ts";

interface QresyncParams {
  uidValidity: number;
  modseq: number;
  knownUids: SequenceSet | null;
}

function selectCommand(name: "SELECT" | "EXAMINE"): ImapCommand {
  return {
    name,
    states: AUTHENTICATED,
    async handle(session, args) {
      const mailbox = args.mailbox();
      const params = parseSelectParams(session, args);
      if (session.selected) {
        session.deselect();
        session.send("* OK [CLOSED] Previous mailbox closed");
      }
      return select(session, mailbox, name === "EXAMINE", params);
    },
  };
}

export const selectMailbox = selectCommand("SELECT");
export const examine = selectCommand("EXAMINE");

function parseSelectParams(
  session: CommandSession,
  args: Args,
): { condstore: boolean; qresync: QresyncParams | null } {
  const out = { condstore: false, qresync: null as QresyncParams | null };
  const list = args.takeList();
  args.end();
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const t = list[i] as Token;
    const name = t.kind === "atom" ? t.value.toUpperCase() : "";
    if (name === "CONDSTORE") {
      out.condstore = true;
    } else if (name === "QRESYNC") {
      if (!session.qresync) throw new BadArgs("QRESYNC must be ENABLEd first");
      const p = list[++i];
      if (p?.kind !== "list") throw new BadArgs("QRESYNC needs a parameter list");
      out.qresync = parseQresync(p.items);
    } else {
      throw new BadArgs("unknown SELECT parameter");
    }
  }
  return out;
}

function parseQresync(items: Token[]): QresyncParams {
  const num = (t: Token | undefined, what: string) => {
    if (t?.kind !== "atom" || !/^\d{1,19}$/.test(t.value)) throw new BadArgs(`QRESYNC: invalid ${what}`);
    return Number(t.value);
  };
  if (items.length < 2 || items.length > 4)
    throw new BadArgs("QRESYNC needs (uidvalidity modseq [known-uids])");
  const uidValidity = num(items[0], "UIDVALIDITY");
  const modseq = num(items[1], "mod-sequence");
  let knownUids: SequenceSet | null = null;
  const known = items[2];
  if (known) {
    if (known.kind === "atom") {
      knownUids = parseSequenceSet(known.value);
      if (!knownUids) throw new BadArgs("QRESYNC: invalid known UIDs");
    } else if (known.kind !== "list") {
      throw new BadArgs("QRESYNC: invalid known UIDs");
    }
  }
  return { uidValidity, modseq, knownUids };
}

async function select(
  session: CommandSession,
  name: string,
  readOnly: boolean,
  params: { condstore: boolean; qresync: QresyncParams | null },
): Promise<Completion> {
  const { ctx } = session;
  const entry = session.mailboxTree().find(name);
  if (!entry) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "NONEXISTENT");
  const folderId = entry.folder.id;
  // Synchronous reads: no change can be published between them and the view they build.
  const info = selectInfo(ctx.store, session.grantId, folderId);
  const counts = folderCounts(ctx.store, session.grantId, folderId);
  if (!counts) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "NONEXISTENT");
  const recent = readOnly
    ? ctx.recent.peek(session.grantId, folderId, info.uids)
    : ctx.recent.claimAll(session.grantId, folderId, info.uids, counts.uidNext);
  const selected = new SelectedMailbox(
    folderId,
    readOnly,
    counts.uidValidity,
    info.uids,
    recent,
    (uid) => ctx.recent.claim(session.grantId, folderId, uid),
    info.keywords,
  );
  session.selected = selected;
  session.state = "selected";
  if (params.condstore || params.qresync) session.condstore = true;

  for (const line of selected.flagsLines()) session.send(line);
  session.send(`* ${info.uids.length} EXISTS`);
  session.send(`* ${recent.size} RECENT`);
  if (info.firstUnseenUid !== null) {
    const seq = selected.seqOf(info.firstUnseenUid);
    if (seq > 0) session.send(`* OK [UNSEEN ${seq}] First unseen message`);
  }
  session.send(`* OK [UIDVALIDITY ${counts.uidValidity}] UIDs valid`);
  session.send(`* OK [UIDNEXT ${counts.uidNext}] Predicted next UID`);
  session.send(`* OK [HIGHESTMODSEQ ${counts.highestModseq}] Highest`);

  const q = params.qresync;
  if (q && q.uidValidity === counts.uidValidity) {
    sendVanishedEarlier(session, selected, q.knownUids, q.modseq);
    const uids = q.knownUids ? resolveUids(q.knownUids, selected.uids) : selected.uids;
    await sendFetch(session, selected, [...uids], {
      items: [{ kind: "UID" }, { kind: "FLAGS" }, { kind: "MODSEQ" }],
      changedSince: q.modseq,
      vanished: false,
    });
  }
  return ok(`${readOnly ? "EXAMINE" : "SELECT"} completed`, readOnly ? "READ-ONLY" : "READ-WRITE");
}
