import { MailboxError } from "../../../src/domain/errors.ts";
import { newId } from "../../../src/ids.ts";
import { recordFolderChange } from "../../../src/mailbox/writes/events.ts";
import { insertFolder } from "../../../src/mailbox/writes/folders.ts";
import { command } from "../command.ts";
import { assertNameFree } from "../folder-rules.ts";
import { requireFolder } from "../state.ts";

export interface CreateFolderCommand {
  name: string;
  parentId?: string | null;
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
  assertNameFree(state, name);
  if (cmd.parentId) requireFolder(state, cmd.parentId);
  const id = newId();
  // Strictly above every UIDVALIDITY this grant used, so a re-created folder never reuses one.
  const uidValidity = Math.max(now, ...[...state.folders.values()].map((f) => f.uidValidity + 1));
  insertFolder(tx, {
    grantId: state.grantId,
    id,
    name,
    parentId: cmd.parentId ?? null,
    textColor: cmd.textColor ?? null,
    backgroundColor: cmd.backgroundColor ?? null,
    uidValidity,
    now,
  });
  state.folders.set(id, { id, name, uidValidity, uidNext: 1 });
  await recordFolderChange(tx, state, "folder.created", { id, name, systemFolder: false });
  ctx.changes.push({ type: "folder.created", folderId: id, name });
  return { id, name, uidValidity };
});
