import { type ImapCommand, SELECTED } from "../command.ts";
import { no, ok } from "../completion.ts";
import { resolveUids } from "../sequence.ts";

/**
 * EXPUNGE / UID EXPUNGE (UIDPLUS): the actor moves \Deleted messages to Trash (deletes them in
 * Trash and Drafts); the EXPUNGE (or VANISHED) responses come from the committed changes.
 */
export const expunge: ImapCommand = {
  name: "EXPUNGE",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const set = call.uid ? args.sequenceSet("UID set") : null;
    args.end();
    if (selected.readOnly) return no("The mailbox is read-only (EXAMINE)", "READ-ONLY");
    const uids = set ? resolveUids(set, selected.uids) : undefined;
    if (uids && uids.length === 0) return ok("UID EXPUNGE completed");
    await session.ctx.mailboxes.ask(session.grantId, "expunge", {
      folderId: selected.folderId,
      ...(uids && { uids }),
    });
    return ok(call.uid ? "UID EXPUNGE completed" : "EXPUNGE completed");
  },
};
