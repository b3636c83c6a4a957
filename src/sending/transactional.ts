import { findGrantByEmail } from "../accounts/grants.ts";
import { MailboxError } from "../domain/errors.ts";
import { FOLDER } from "../domain/system-folders.ts";
import { newId, nowSeconds } from "../ids.ts";
import { composeMime } from "../mail/compose/mime.ts";
import { envelopeRecipients } from "../mail/compose/recipients.ts";
import { ComposeError, type SendRequest } from "../mail/compose/request.ts";
import { insertQueueRows } from "../mailbox/writes/outbound-queue.ts";
import { insertTrackedMessage } from "../mailbox/writes/tracking.ts";
import { recordTransactionalLocalBounce } from "../smtp/queue.ts";
import type { DomainRow, GrantRow } from "../store/schema.ts";
import { withContent } from "./content.ts";
import type { SendingDeps } from "./deps.ts";
import { checkMessageSize } from "./limits.ts";
import { withTracking } from "./tracking.ts";

export interface TransactionalSend {
  applicationId: string;
  domain: DomainRow;
  /** The sender, an address at `domain` (checked by the caller). */
  from: { email: string; name?: string };
  request: SendRequest;
}

export interface TransactionalResult {
  id: string;
  request: SendRequest;
}

/**
 * POST /v3/domains/{domain}/messages/send: an application sends from one of its domains with no
 * account behind it. The message is composed (the application's template applied), hosted
 * recipients get it in their INBOX now, remote ones are queued for the outbound delivery (DKIM
 * with the domain's key, retries, message.transactional.delivered/bounced events). No Sent copy
 * is kept: there is no mailbox to keep it in.
 */
export async function sendTransactional(
  deps: SendingDeps,
  send: TransactionalSend,
): Promise<TransactionalResult> {
  if (send.request.trackingOptions?.threadReplies) {
    throw new ComposeError(
      "tracking_options.thread_replies",
      "thread_replies needs a grant: replies come to a mailbox",
    );
  }
  const content = withContent(deps.store, { applicationId: send.applicationId, grantId: null }, send.request);
  const { req, tracking } = withTracking(deps.config.publicUrl, content);
  const composed = await composeMime(req, { from: send.from, messageIdDomain: send.domain.domainAddress });
  checkMessageSize(composed.raw, deps.config.limits.maxMessageBytes);
  const id = newId();
  const local: GrantRow[] = [];
  const remote: string[] = [];
  for (const email of envelopeRecipients(req)) {
    const hosted = findGrantByEmail(deps.store, email);
    if (hosted) local.push(hosted);
    else remote.push(email);
  }
  if (remote.length > 0 || tracking) {
    // The tracked message and the queue rows commit together, before anyone can open it.
    const now = nowSeconds();
    const scope = { applicationId: send.applicationId, grantId: null };
    await deps.store.writer.submit((tx) => {
      if (tracking) insertTrackedMessage(tx, scope, { ...tracking, messageId: id, rfc822Id: null, now });
      insertQueueRows(
        tx,
        { ...scope, messageId: id, mailFrom: send.from.email, recipients: remote, raw: composed.raw },
        now,
      );
    });
    if (remote.length > 0) deps.onQueued?.();
  }
  await deliverLocally(deps, send, id, local, composed.raw);
  return { id, request: req };
}

/** Hosted recipients now; one that cannot take it is reported as message.transactional.bounced. */
async function deliverLocally(
  deps: SendingDeps,
  send: TransactionalSend,
  id: string,
  recipients: GrantRow[],
  raw: Uint8Array,
): Promise<void> {
  if (recipients.length === 0) return;
  const prepared = deps.mailboxes.prepare(raw);
  await Promise.all(
    recipients.map((r) =>
      deps.mailboxes
        .ask(r.id, "append", { folderId: FOLDER.inbox, raw, prepared })
        .catch(async (err: unknown) => {
          const full = err instanceof MailboxError && err.code === "over_quota";
          const reason = err instanceof Error ? err.message : String(err);
          deps.log.warn(
            { applicationId: send.applicationId, messageId: id, recipient: r.email, reason },
            "local delivery skipped",
          );
          await recordTransactionalLocalBounce(
            deps.store,
            nowSeconds(),
            { applicationId: send.applicationId, messageId: id, mailFrom: send.from.email },
            [
              {
                email: r.email,
                status: full ? "5.2.2" : "5.3.0",
                diagnostic: `x-agentbox; ${r.email}: ${reason}`,
              },
            ],
          );
        }),
    ),
  );
}
