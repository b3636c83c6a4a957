import { ComposeError } from "../mail/compose/errors.ts";
import { composeMime } from "../mail/compose/mime.ts";
import { envelopeRecipients } from "../mail/compose/recipients.ts";
import { withBcc } from "../mail/header-edit.ts";
import { type MessageView, messageByHeader } from "../mailbox/messages.ts";
import type { GrantRow } from "../store/schema.ts";
import { withContent } from "./content.ts";
import type { SendingDeps } from "./deps.ts";
import { composeContext } from "./deps.ts";
import { requireDraft, retryOnConflict, storedDraft } from "./drafts.ts";
import { MAX_RECIPIENTS } from "./limits.ts";
import { dispatch, type Outgoing } from "./outgoing.ts";
import { withTracking } from "./tracking.ts";

/**
 * POST /drafts/{id}: the draft is composed anew (fresh Date, same Message-ID) and sent like any
 * message (quota, outbound queue, local delivery); it leaves Drafts and its id goes to the Sent
 * copy, which no longer has \Draft.
 */
export function sendDraft(
  deps: SendingDeps,
  grant: GrantRow,
  id: string,
  options: { signatureId?: string } = {},
): Promise<MessageView> {
  return retryOnConflict(async () => {
    const view = await requireDraft(deps, grant, id);
    return dispatch(deps, grant, await outgoingDraft(deps, grant, view, options.signatureId));
  });
}

async function outgoingDraft(
  deps: SendingDeps,
  grant: GrantRow,
  view: MessageView,
  signatureId?: string,
): Promise<Outgoing> {
  const stored = await storedDraft(deps, grant, view);
  // Nylas: sending a draft may name a signature, appended to the draft's body as it is sent.
  const content = withContent(deps.store, grant, { ...stored.request, ...(signatureId && { signatureId }) });
  // The draft's tracking_options apply as a send's: after the signature, whose links are tracked too.
  const { req, tracking } = withTracking(deps.config.publicUrl, content);
  const recipients = envelopeRecipients(req);
  checkRecipients(recipients.length);
  const composed = await composeMime(req, {
    ...composeContext(grant),
    ...(stored.messageId && { messageId: stored.messageId }),
    ...(stored.replyTo && { replyTo: stored.replyTo }),
  });
  return {
    sentRaw: withBcc(composed.raw, req.bcc),
    deliveryRaw: composed.raw,
    recipients,
    metadata: req.metadata,
    flags: { flagged: req.starred ?? false },
    draft: { id: view.row.id, uid: view.row.uid },
    answeredId: messageByHeader(deps.store, grant.id, stored.replyTo?.messageId ?? null),
    ...(tracking && { tracking }),
  };
}

function checkRecipients(count: number): void {
  if (count === 0) {
    throw new ComposeError("to", "the draft has no recipients: add to, cc or bcc before sending it");
  }
  if (count > MAX_RECIPIENTS) {
    throw new ComposeError("to", `too many recipients: ${count} (to + cc + bcc ≤ ${MAX_RECIPIENTS})`);
  }
}
