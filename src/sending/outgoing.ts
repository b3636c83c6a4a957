import { findGrantByEmail } from "../accounts/grants.ts";
import { MailboxError } from "../domain/errors.ts";
import { FOLDER } from "../domain/system-folders.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import { getMessage, type MessageView } from "../mailbox/messages.ts";
import type { RuleOutcome } from "../rule-engine/evaluate.ts";
import { bounceLocalDelivery } from "../smtp/local-bounce.ts";
import type { GrantRow } from "../store/schema.ts";
import type { SendingDeps } from "./deps.ts";
import { checkAttachments, checkMessageSize } from "./limits.ts";
import { type Outgoing, sendInput, sentView } from "./outgoing-message.ts";
import { sendThroughProvider } from "./provider-send.ts";
import { localInboundRules, outboundRules } from "./rules.ts";

export type { Outgoing } from "./outgoing-message.ts";

/**
 * The send path shared by API sends, raw MIME sends and sent drafts: the size limit; one actor
 * unit (quota, Sent copy, outbound queue rows for remote recipients); then delivery into hosted
 * recipients' inboxes. Resolves with the Sent copy once all of that is committed.
 */
export async function dispatch(deps: SendingDeps, grant: GrantRow, out: Outgoing): Promise<MessageView> {
  const { limits } = deps.guardrails.forGrant(grant);
  checkMessageSize(out.sentRaw, limits.maxMessageBytes);
  const rules = await outboundRules(deps, grant, out.sentRaw, out.recipients);
  const preparedSent = deps.mailboxes.prepare(out.sentRaw);
  await checkAttachments(limits, async () => (await preparedSent).attachments);
  if (rules?.verdict.held && !out.held) return holdForReview(deps, grant, out, rules, preparedSent);
  if (grant.provider === "imap") return sendThroughProvider(deps, grant, out, preparedSent, rules ?? null);
  const { local, remote } = await splitRecipients(deps, out.recipients);
  const sent = await deps.mailboxes.ask(
    grant.id,
    "send",
    sendInput(out, grant.email, preparedSent, remote, rules),
  );
  if (sent.queued > 0) deps.onQueued?.();
  // Without Bcc, recipients get the Sent copy's very bytes: prepared once for both.
  const sameBytes = out.deliveryRaw === out.sentRaw;
  await deliverLocally(deps, grant, sent.id, local, out.deliveryRaw, sameBytes ? preparedSent : undefined);
  return sentView(deps.store, grant.id, sent.id);
}

/**
 * A hold_for_review rule matched: the message waits in the account's Review folder (nothing
 * leaves, nothing is counted); moving it to Outbox or POST …/release sends it (review.ts).
 * Resolves with the held message.
 */
async function holdForReview(
  deps: SendingDeps,
  grant: GrantRow,
  out: Outgoing,
  rules: RuleOutcome,
  prepared: Promise<PreparedMessage>,
): Promise<MessageView> {
  const held = await deps.mailboxes.ask(grant.id, "holdMessage", {
    raw: out.sentRaw,
    prepared,
    recipients: out.recipients,
    rules,
    ...(out.metadata && { metadata: out.metadata }),
    ...(out.answeredId && { answeredId: out.answeredId }),
    ...(out.draft && { draft: out.draft }),
    ...(out.scheduled && { scheduled: out.scheduled }),
  });
  deps.onHeld?.(grant.id);
  const view = getMessage(deps.store, grant.id, held.id);
  if (!view)
    throw new MailboxError("not_found", `held message ${held.id} was deleted before it could be shown`);
  return view;
}

/** Recipients hosted here (any application's account) are delivered now; the rest are queued. */
async function splitRecipients(
  deps: SendingDeps,
  recipients: string[],
): Promise<{ local: GrantRow[]; remote: string[] }> {
  const local: GrantRow[] = [];
  const remote: string[] = [];
  for (const email of recipients) {
    const hosted = findGrantByEmail(deps.store, email);
    if (hosted) local.push(hosted);
    else remote.push(email);
  }
  return { local, remote };
}

/**
 * Each hosted recipient gets the message in its INBOX (its own message.created). A recipient
 * that cannot take it (over its storage quota, deleted meanwhile) does not fail the send, which
 * is already committed: its copy is skipped and logged, and the sender gets a bounce (a DSN in
 * its INBOX and a message.bounced event, src/smtp/local-bounce.ts).
 */
async function deliverLocally(
  deps: SendingDeps,
  sender: GrantRow,
  sentId: string,
  recipients: GrantRow[],
  raw: Uint8Array,
  preparedRaw?: Promise<PreparedMessage>,
): Promise<void> {
  if (recipients.length === 0) return;
  const prepared = preparedRaw ?? deps.mailboxes.prepare(raw); // once, for every recipient
  await Promise.all(
    recipients.map((r) =>
      deliverTo(deps, r, sender.email, raw, prepared).catch(async (err: unknown) => {
        const reason = err instanceof MailboxError ? err.message : String(err);
        deps.log.warn(
          { grantId: sender.id, messageId: sentId, recipient: r.email, reason },
          "local delivery skipped",
        );
        await bounceLocalDelivery(deps, { sender, sentId, recipient: r.email, error: err, raw });
      }),
    ),
  );
}

/**
 * One hosted recipient's copy, governed by the recipient's policy and inbound rules: its
 * attachment limits and daily receive limit, then its rules (a block refuses the copy).
 */
async function deliverTo(
  deps: SendingDeps,
  recipient: GrantRow,
  sender: string,
  raw: Uint8Array,
  prepared: Promise<PreparedMessage>,
): Promise<void> {
  const { limits } = deps.guardrails.forGrant(recipient);
  await checkAttachments(limits, async () => (await prepared).attachments);
  const rules = await localInboundRules(deps, recipient, sender, raw);
  await deps.mailboxes.ask(recipient.id, "append", {
    folderId: FOLDER.inbox,
    raw,
    prepared,
    ...(rules && { rules }),
    ...(limits.dailyReceiveLimit !== null && { dailyReceiveLimit: limits.dailyReceiveLimit }),
  });
}
