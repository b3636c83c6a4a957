import { fetchRows } from "../../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../../src/mailbox/messages.ts";
import type { Args } from "../args.ts";
import { type CommandCall, type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { bad, type Completion, no, ok } from "../completion.ts";
import { formatSequenceSet } from "../sequence.ts";

/** The copies are prepared here, outside the actor; yield to other sessions between reads. */
const YIELD_EVERY = 20;

function target(session: CommandSession, args: Args, call: CommandCall) {
  const selected = session.requireSelected();
  const set = args.sequenceSet();
  const name = args.mailbox();
  args.end();
  const entry = session.mailboxTree().find(name);
  const uids = selected.uidsOf(set, call.uid);
  return { selected, entry, uids, name };
}

/** COPY / UID COPY: independent copies (new ids and UIDs, the same stored bytes); COPYUID. */
export const copy: ImapCommand = {
  name: "COPY",
  states: SELECTED,
  uid: true,
  async handle(session, args, call): Promise<Completion> {
    const { selected, entry, uids, name } = target(session, args, call);
    if (uids === null) return bad("Invalid message sequence number");
    if (!entry) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "TRYCREATE");
    const { store } = session.ctx;
    const sources = [];
    const wanted = new Set(uids);
    if (uids.length > 0) {
      const rows = fetchRows(
        store,
        session.grantId,
        selected.folderId,
        uids[0] as number,
        uids[uids.length - 1] as number,
        {},
      );
      let n = 0;
      for (const row of rows) {
        if (!wanted.has(row.uid)) continue;
        const raw = rawMessage(store, row.blobHash);
        if (!raw) continue;
        sources.push(
          session.ctx.mailboxes
            .prepare(raw)
            .then((prepared) => ({ id: row.id, uid: row.uid, raw, prepared })),
        );
        if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
    }
    if (sources.length === 0) return ok(`${call.uid ? "UID COPY" : "COPY"} completed: nothing to copy`);
    const reply = await session.ctx.mailboxes.ask(session.grantId, "copyMessages", {
      folderId: selected.folderId,
      targetFolderId: entry.folder.id,
      sources: await Promise.all(sources),
    });
    if (reply.copied.length === 0) return ok("COPY completed: the messages were expunged meanwhile");
    return ok(
      `${call.uid ? "UID COPY" : "COPY"} completed`,
      `COPYUID ${entry.folder.uidValidity} ${copyUidSets(reply.copied)}`,
    );
  },
};

/** MOVE / UID MOVE (RFC 6851): the same messages change folder; COPYUID, then their EXPUNGEs. */
export const move: ImapCommand = {
  name: "MOVE",
  states: SELECTED,
  uid: true,
  async handle(session, args, call): Promise<Completion> {
    const { selected, entry, uids, name } = target(session, args, call);
    if (uids === null) return bad("Invalid message sequence number");
    if (!entry) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "TRYCREATE");
    if (selected.readOnly) return no("The mailbox is read-only (EXAMINE)", "READ-ONLY");
    if (uids.length === 0) return ok(`${call.uid ? "UID MOVE" : "MOVE"} completed: nothing to move`);
    const reply = await session.ctx.mailboxes.ask(session.grantId, "moveMessages", {
      folderId: selected.folderId,
      uids,
      targetFolderId: entry.folder.id,
    });
    if (reply.moved.length > 0) {
      session.send(`* OK [COPYUID ${entry.folder.uidValidity} ${copyUidSets(reply.moved)}] Moved`);
    }
    return ok(`${call.uid ? "UID MOVE" : "MOVE"} completed`);
  },
};

/** "source-uids dest-uids" in the same order (both ascending here). */
function copyUidSets(pairs: { fromUid: number; uid: number }[]): string {
  const sorted = [...pairs].sort((a, b) => a.fromUid - b.fromUid);
  return `${formatSequenceSet(sorted.map((p) => p.fromUid))} ${formatSequenceSet(sorted.map((p) => p.uid))}`;
}
