import { MailboxError } from "../../../src/domain/errors.ts";
import { newId } from "../../../src/ids.ts";
import { recordFolderChange } from "../../../src/mailbox/writes/events.ts";
import { dropSubscription, insertFolder } from "../../../src/mailbox/writes/folders.ts";
import { saveUidValidityHigh } from "../../../src/mailbox/writes/grants.ts";
import { command } from "../command.ts";
import { assertNameFree } from "../folder-rules.ts";
import { requireFolder } from "../state.ts";

export interface CreateFolderCommand {
  name: string;
  parentId?: string | null;
  /**
   * The folder's IMAP name when IMAP creates it: the folder is then subscribed only if that name
   * still was (a subscription outlives its folder); otherwise a new folder is subscribed.
   */
  imapName?: string;
  /** Set with the folder, so its creation is one change (one folder.created, no folder.updated). */
  textColor?: string | null;
  backgroundColor?: string | null;
}

export interface CreateFolderReply {
  id: string;
  name: string;
  uidValidity: number;
}

export const createFolder = command<CreateFolderCommand, CreateFolderReply>(async (ctx, cmd) => {
  const { state, tx, now } = ctx;
  const name = cmd.name.trim();
  if (!name) throw new MailboxError("invalid", "folder name must not be empty");
  const parentId = cmd.parentId ?? null;
  if (parentId) requireFolder(state, parentId);
  assertNameFree(state, name, parentId);
  const id = newId();
  // Strictly above every UIDVALIDITY this grant used, deleted folders' included, so a re-created
  // folder never reuses one.
  const uidValidity = Math.max(now, state.uidValidityHigh + 1);
  const subscribed = cmd.imapName === undefined || dropSubscription(tx, state.grantId, cmd.imapName);
  insertFolder(tx, {
    grantId: state.grantId,
    id,
    name,
    parentId,
    subscribed,
    textColor: cmd.textColor ?? null,
    backgroundColor: cmd.backgroundColor ?? null,
    uidValidity,
    now,
  });
  saveUidValidityHigh(tx, state.grantId, uidValidity);
  state.uidValidityHigh = uidValidity;
  state.folders.set(id, { id, name, parentId, uidValidity, uidNext: 1 });
  await recordFolderChange(tx, state, "folder.created", { id, name, systemFolder: false });
  ctx.changes.push({ type: "folder.created", folderId: id, name });
  return { id, name, uidValidity };
});
