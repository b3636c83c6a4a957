import { MailboxError } from "../domain/errors.ts";
import { FOLDER } from "../domain/system-folders.ts";
import { type ComposeContext, composeMime } from "../mail/compose/mime.ts";
import type { SendRequest } from "../mail/compose/request.ts";
import { withBcc } from "../mail/header-edit.ts";
import { getMessage, type MessageView, rawMessage } from "../mailbox/messages.ts";
import type { GrantRow } from "../store/schema.ts";
import { withContent } from "./content.ts";
import { composeContext, type SendingDeps } from "./deps.ts";
import { readDraft, type StoredDraft } from "./draft-request.ts";
import { takeDraftTrackingField, withDraftTrackingField } from "./draft-tracking.ts";
import { checkMessageSize } from "./limits.ts";
import { replyContext } from "./reply.ts";
import { withTracking } from "./tracking.ts";

/**
 * Drafts are messages in the Drafts folder with \Draft, so IMAP clients see the same set. Each
 * save composes the whole message anew; the draft keeps its id and its Message-ID across saves.
 */

const CONFLICT_RETRIES = 3;

/** A draft of this grant (a message in Drafts), or 404. */
export async function requireDraft(deps: SendingDeps, grant: GrantRow, id: string): Promise<MessageView> {
  const view = getMessage(deps.store, grant.id, id);
  if (!view || view.row.folderId !== FOLDER.drafts)
    throw new MailboxError("not_found", `draft ${id} not found`);
  return view;
}

export async function createDraft(
  deps: SendingDeps,
  grant: GrantRow,
  req: SendRequest,
): Promise<MessageView> {
  const reply = await replyContext(deps.store, grant.id, req.replyToMessageId);
  const raw = await composeDraft(deps, grant, withContent(deps.store, grant, req), {
    ...(reply?.replyTo && { replyTo: reply.replyTo }),
  });
  const stored = await deps.mailboxes.ask(grant.id, "append", {
    folderId: FOLDER.drafts,
    raw,
    flags: draftFlags(req),
    metadata: req.metadata,
  });
  return reread(deps, grant, stored.id);
}

/** A PUT's fields: `keys` are its own JSON keys (parsing fills defaults; only keys tell what was sent). */
export interface DraftChange {
  given: SendRequest;
  keys: string[];
  /** Form file parts came with it: they replace the stored attachments. */
  hasFiles: boolean;
}

/** PUT: the stored draft with the named fields replaced, composed anew under the same id. */
export async function updateDraft(
  deps: SendingDeps,
  grant: GrantRow,
  id: string,
  change: DraftChange,
): Promise<MessageView> {
  const draftId = await retryOnConflict(() => saveChange(deps, grant, id, change));
  return reread(deps, grant, draftId);
}

async function saveChange(
  deps: SendingDeps,
  grant: GrantRow,
  id: string,
  change: DraftChange,
): Promise<string> {
  const current = await requireDraft(deps, grant, id);
  const stored = await storedDraft(deps, grant, current);
  const req = mergeRequest(stored.request, change);
  const threading = change.keys.includes("reply_to_message_id")
    ? (await replyContext(deps.store, grant.id, change.given.replyToMessageId))?.replyTo
    : stored.replyTo;
  // A template or signature the PUT names is applied to the merged draft (its MIME keeps the result).
  const raw = await composeDraft(deps, grant, withContent(deps.store, grant, req), {
    ...(stored.messageId && { messageId: stored.messageId }),
    ...(threading && { replyTo: threading }),
  });
  await deps.mailboxes.ask(grant.id, "replaceDraft", {
    draftId: current.row.id,
    expectedUid: current.row.uid,
    raw,
    flags: draftFlags(req),
    metadata: req.metadata,
  });
  return current.row.id;
}

/** DELETE: drafts are deleted for good, not moved to Trash. */
export async function deleteDraft(deps: SendingDeps, grant: GrantRow, id: string): Promise<void> {
  const view = await requireDraft(deps, grant, id);
  await deps.mailboxes.ask(grant.id, "deleteMessage", { messageId: view.row.id, hard: true });
}

/**
 * A change is composed from the draft as read, outside the actor; if another save lands first,
 * the actor refuses the stale change and it is composed again from the newer draft.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const conflict = err instanceof MailboxError && err.code === "conflict";
      if (!conflict || tries >= CONFLICT_RETRIES) throw err;
    }
  }
}

async function composeDraft(
  deps: SendingDeps,
  grant: GrantRow,
  req: SendRequest,
  extra: Partial<ComposeContext>,
): Promise<Uint8Array> {
  // Checked as a send would check them (public URL, an HTML body), then kept in the MIME.
  withTracking(deps.config.publicUrl, req);
  const composed = await composeMime(withDraftTrackingField(req), { ...composeContext(grant), ...extra });
  // A draft keeps its Bcc recipients in its header, or they would be lost on the next read.
  const raw = withBcc(composed.raw, req.bcc);
  // The account's policy limit (create and update alike): a draft over it could never be sent.
  checkMessageSize(raw, deps.guardrails.forGrant(grant).limits.maxMessageBytes);
  return raw;
}

function draftFlags(req: SendRequest) {
  return { draft: true, seen: !(req.unread ?? false), flagged: req.starred ?? false };
}

export async function storedDraft(
  deps: SendingDeps,
  grant: GrantRow,
  view: MessageView,
): Promise<StoredDraft> {
  const raw = rawMessage(deps.store, view.row.blobHash);
  if (!raw) throw new MailboxError("not_found", `content of draft ${view.row.id} not found`);
  const stored = readDraft(raw, view.row, grant.email);
  return { ...stored, request: takeDraftTrackingField(stored.request) };
}

async function reread(deps: SendingDeps, grant: GrantRow, id: string): Promise<MessageView> {
  const view = getMessage(deps.store, grant.id, id);
  if (!view) throw new MailboxError("not_found", `draft ${id} was deleted meanwhile`);
  return view;
}

// JSON key → request field, for the keys a PUT may carry.
const FIELD_OF_KEY: Record<string, keyof SendRequest> = {
  to: "to",
  cc: "cc",
  bcc: "bcc",
  reply_to: "replyTo",
  from: "from",
  subject: "subject",
  body: "body",
  is_plaintext: "isPlaintext",
  attachments: "attachments",
  custom_headers: "customHeaders",
  metadata: "metadata",
  starred: "starred",
  unread: "unread",
  tracking_options: "trackingOptions",
  signature_id: "signatureId",
  template: "template",
  reply_to_message_id: "replyToMessageId",
};

function mergeRequest(stored: SendRequest, change: DraftChange): SendRequest {
  const merged: Record<string, unknown> = { ...stored };
  for (const key of change.keys) {
    const field = FIELD_OF_KEY[key];
    if (field) merged[field] = change.given[field];
  }
  if (change.hasFiles) merged.attachments = change.given.attachments;
  return merged as unknown as SendRequest;
}
