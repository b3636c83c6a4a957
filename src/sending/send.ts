import { newId, nowSeconds } from "../ids.ts";
import { composeMime } from "../mail/compose/mime.ts";
import { envelopeRecipients } from "../mail/compose/recipients.ts";
import type { SendRequest } from "../mail/compose/request.ts";
import { withBcc } from "../mail/header-edit.ts";
import type { MessageView } from "../mailbox/messages.ts";
import type { GrantRow, ScheduledSendRow } from "../store/schema.ts";
import { withContent } from "./content.ts";
import { composeContext, type SendingDeps } from "./deps.ts";
import { checkMessageSize } from "./limits.ts";
import { dispatch } from "./outgoing.ts";
import { replyContext } from "./reply.ts";
import { insertScheduledSend } from "./scheduled-store.ts";
import { withTracking } from "./tracking.ts";

/**
 * POST /messages/send with a JSON or multipart body: compose as the account (threaded under
 * reply_to_message_id when given), then send. Resolves with the Sent copy.
 */
export async function sendMessage(
  deps: SendingDeps,
  grant: GrantRow,
  req: SendRequest,
): Promise<MessageView> {
  const { composed, reply, tracking } = await compose(deps, grant, req);
  return dispatch(deps, grant, {
    sentRaw: withBcc(composed.raw, req.bcc),
    deliveryRaw: composed.raw,
    recipients: envelopeRecipients(req),
    metadata: req.metadata,
    flags: { flagged: req.starred ?? false },
    ...(reply && { answeredId: reply.answeredId }),
    ...(tracking && { tracking }),
  });
}

/**
 * The same with a send_at ahead: composed now (dated send_at, so the message is what will be
 * sent), kept in `scheduled_sends` until the scheduler sends it (scheduler.ts). The daily quota is
 * taken when it is sent. Resolves with the schedule, whose `message_id` the Sent copy will have.
 */
export async function scheduleMessage(
  deps: SendingDeps,
  grant: GrantRow,
  req: SendRequest,
  sendAt: number,
): Promise<{ schedule: ScheduledSendRow; sentRaw: Uint8Array }> {
  const { composed, reply, tracking } = await compose(deps, grant, req, new Date(sendAt * 1000));
  const sentRaw = withBcc(composed.raw, req.bcc);
  checkMessageSize(sentRaw, deps.guardrails.forGrant(grant).limits.maxMessageBytes);
  const schedule = await insertScheduledSend(deps.store, {
    id: newId(),
    grantId: grant.id,
    messageId: newId(),
    sendAt,
    sentRaw: Buffer.from(sentRaw),
    deliveryRaw: Buffer.from(composed.raw),
    recipientsJson: JSON.stringify(envelopeRecipients(req)),
    metadataJson: JSON.stringify(req.metadata ?? {}),
    flagged: req.starred ?? false,
    answeredId: reply?.answeredId ?? null,
    createdAt: nowSeconds(),
    trackingJson: tracking ? JSON.stringify(tracking) : null,
  });
  deps.onScheduled?.();
  return { schedule, sentRaw };
}

async function compose(deps: SendingDeps, grant: GrantRow, req: SendRequest, date?: Date) {
  const reply = await replyContext(deps.store, grant.id, req.replyToMessageId);
  // Template and signature first: their links are tracked like the body's.
  const tracked = withTracking(deps.config.publicUrl, withContent(deps.store, grant, req));
  const composed = await composeMime(tracked.req, {
    ...composeContext(grant),
    ...(reply?.replyTo && { replyTo: reply.replyTo }),
    ...(date && { date }),
  });
  return { composed, reply, tracking: tracked.tracking };
}
