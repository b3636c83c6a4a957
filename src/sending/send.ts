import { composeMime } from "../mail/compose/mime.ts";
import { envelopeRecipients } from "../mail/compose/recipients.ts";
import type { SendRequest } from "../mail/compose/request.ts";
import type { MessageView } from "../mailbox/messages.ts";
import type { GrantRow } from "../store/schema.ts";
import { messageIdDomain, type SendingDeps, senderOf } from "./deps.ts";
import { withBcc } from "./header-edit.ts";
import { checkSendAt } from "./limits.ts";
import { dispatch } from "./outgoing.ts";
import { replyContext } from "./reply.ts";

export interface SendOptions {
  /** Unix seconds; the clock by default. */
  now?: number;
}

/**
 * POST /messages/send with a JSON or multipart body: compose as the account (threaded under
 * reply_to_message_id when given), then send. Resolves with the Sent copy.
 */
export async function sendMessage(
  deps: SendingDeps,
  grant: GrantRow,
  req: SendRequest,
  opts: SendOptions = {},
): Promise<MessageView> {
  checkSendAt(req.sendAt, opts.now ?? Math.floor(Date.now() / 1000));
  const reply = await replyContext(deps.store, grant.id, req.replyToMessageId);
  const composed = await composeMime(req, {
    from: senderOf(grant),
    messageIdDomain: messageIdDomain(grant),
    ...(reply?.replyTo && { replyTo: reply.replyTo }),
  });
  return dispatch(deps, grant, {
    sentRaw: withBcc(composed.raw, req.bcc),
    deliveryRaw: composed.raw,
    recipients: envelopeRecipients(req),
    metadata: req.metadata,
    flags: { flagged: req.starred ?? false },
    ...(reply && { answeredId: reply.answeredId }),
  });
}
