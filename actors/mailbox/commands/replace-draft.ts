import type { Flags } from "../../../src/domain/flags.ts";
import { FOLDER } from "../../../src/domain/system-folders.ts";
import { storingCommand } from "../command.ts";
import { type StoredMessage, storeMessage } from "../store-message.ts";
import { takeDraft } from "../take-draft.ts";

/** PUT /drafts/{id}: the draft's new bytes replace the old under the same id (new UID). */
export interface ReplaceDraftCommand {
  draftId: string;
  /** The version the new bytes were composed from; another save meanwhile is a conflict. */
  expectedUid: number;
  metadata: Record<string, string>;
  flags: Partial<Flags>;
}

/**
 * A draft's new version replaces the old in one unit, so no reader ever sees both or neither.
 * The API id stays; IMAP sees the old UID expunged and a new one (its bytes changed), and
 * webhooks see message.updated.
 */
export const replaceDraft = storingCommand<ReplaceDraftCommand, StoredMessage>(async (ctx, cmd) => {
  const id = await takeDraft(ctx, { id: cmd.draftId, uid: cmd.expectedUid });
  return storeMessage(ctx, {
    folderId: FOLDER.drafts,
    raw: cmd.raw,
    prepared: cmd.prepared,
    metadata: cmd.metadata,
    flags: { ...cmd.flags, draft: true },
    id,
    event: "message.updated",
  });
});
