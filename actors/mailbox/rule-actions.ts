import type { Flags } from "../../src/domain/flags.ts";
import { FOLDER } from "../../src/domain/system-folders.ts";
import type { FolderCounters } from "../../src/mailbox/writes/folders.ts";
import { insertRuleEvaluation } from "../../src/mailbox/writes/rule-evaluations.ts";
import type { Destination, RuleOutcome } from "../../src/rule-engine/evaluate.ts";
import type { AppliedActions } from "../../src/rule-engine/vocabulary.ts";
import type { CommandContext } from "./command.ts";
import type { MailboxState } from "./state.ts";

/**
 * A verdict's actions, applied as the message is stored (never stored, then changed): the first
 * destination that exists is its folder (a missing assign_to_folder is skipped), mark_as_read
 * and mark_as_starred add flags.
 */
export interface Placement {
  folderId: string;
  flags: Partial<Flags>;
  applied: AppliedActions;
}

export function placeByVerdict(
  state: MailboxState,
  outcome: RuleOutcome,
  folderId: string,
  flags: Partial<Flags> = {},
): Placement {
  const { verdict } = outcome;
  const applied: AppliedActions = {};
  const placed = { folderId, flags: { ...flags } };
  for (const d of verdict.destinations) {
    const folder = destinationFolder(state, d);
    if (!folder) continue;
    placed.folderId = folder.id;
    markApplied(applied, d, folder.id);
    break;
  }
  if (verdict.markRead) {
    placed.flags.seen = true;
    applied.marked_as_read = true;
  }
  if (verdict.star) {
    placed.flags.flagged = true;
    applied.marked_starred = true;
  }
  return { ...placed, applied };
}

/** The evaluation row of a message the command stored, in its unit. */
export function recordStoredEvaluation(
  ctx: CommandContext,
  outcome: RuleOutcome,
  messageId: string,
  applied: AppliedActions,
): void {
  insertRuleEvaluation(ctx.tx, {
    applicationId: ctx.state.applicationId,
    grantId: ctx.state.grantId,
    messageId,
    stage: outcome.stage,
    input: outcome.input,
    applied,
    matchedRuleIds: outcome.verdict.matchedRuleIds,
    evaluatedAt: ctx.now,
  });
}

function markApplied(applied: AppliedActions, d: Destination, folderId: string): void {
  if (d.kind === "junk") applied.marked_as_spam = true;
  else if (d.kind === "trash") applied.trashed = true;
  else if (d.kind === "archive") applied.archived = true;
  else applied.folder_ids = [folderId];
}

/** System names a rule may use for the six system folders (Nylas: Inbox, Sent, Drafts, Trash, Junk, Archive). */
const SYSTEM_NAMES: Record<string, string> = {
  inbox: FOLDER.inbox,
  sent: FOLDER.sent,
  drafts: FOLDER.drafts,
  trash: FOLDER.trash,
  junk: FOLDER.junk,
  spam: FOLDER.junk,
  archive: FOLDER.archive,
};

function destinationFolder(state: MailboxState, d: Destination): FolderCounters | undefined {
  if (d.kind !== "folder") return state.folders.get(FOLDER[d.kind]);
  return resolveFolderName(state, d.name);
}

/**
 * A folder named by a rule: its id, its name (any case), a system folder's name, or a path
 * (`Clients/Acme`) whose last level names it. None: the action is skipped.
 */
export function resolveFolderName(state: MailboxState, name: string): FolderCounters | undefined {
  const wanted = name.trim().replace(/^\/+|\/+$/g, "");
  const lower = wanted.toLowerCase();
  const system = SYSTEM_NAMES[lower];
  if (system) return state.folders.get(system);
  const byId = state.folders.get(wanted);
  if (byId) return byId;
  const folders = [...state.folders.values()];
  const leaf = lower.slice(lower.lastIndexOf("/") + 1);
  return (
    folders.find((f) => f.name.toLowerCase() === lower) ?? folders.find((f) => f.name.toLowerCase() === leaf)
  );
}
