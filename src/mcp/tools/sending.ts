import { z } from "zod";
import { ToolFailure } from "../api.ts";
import { grantPath, resolveGrant } from "../grant.ts";
import { summarize } from "../message-view.ts";
import { defineTool, READ, SEND, type ToolContext } from "../tool.ts";
import { readMessage } from "./messages.ts";
import { canonicalOutgoing, type Outgoing, outgoingFields, requestBody } from "./outgoing.ts";
import { grantArg, messageSummary, participant } from "./schemas.ts";

type Row = Record<string, unknown>;

const confirmation = {
  confirmation_token: z.string().describe("Pass it to the send tool, with exactly the same message"),
  expires_at: z.number().describe("Unix seconds; after that, confirm again"),
};

const preview = z.looseObject({
  to: z.array(participant),
  cc: z.array(participant),
  bcc: z.array(participant),
  subject: z.string(),
  body: z.string(),
});

const token = z.string().optional().describe("From the confirm tool; required to send");

/** What a confirmation of a direct send covers: caller, account, and every field of the message. */
const messageSubject = (ctx: ToolContext, grantId: string, m: Outgoing) => ({
  caller: ctx.caller,
  kind: "message",
  grant: grantId,
  message: canonicalOutgoing(m),
});

export const confirmSendMessage = defineTool({
  name: "confirm_send_message",
  title: "Confirm a message before sending",
  description:
    "Step 1 of sending: shows the exact message and returns a confirmation_token, valid 5 minutes, for send_message with exactly the same arguments. Sends nothing.",
  input: { grant: grantArg, ...outgoingFields },
  output: { ...confirmation, preview },
  hints: READ,
  run: async (ctx, { grant, ...message }) => {
    const id = await resolveGrant(ctx.api, grant);
    if (message.to.length === 0) throw new ToolFailure("to needs at least one recipient");
    return {
      ...ctx.confirmations.issue(messageSubject(ctx, id, message)),
      preview: canonicalOutgoing(message),
    };
  },
});

export const sendMessage = defineTool({
  name: "send_message",
  title: "Send a message",
  description:
    "Step 2 of sending: sends the message confirm_send_message confirmed (same arguments, plus its confirmation_token). A token works once.",
  input: { grant: grantArg, ...outgoingFields, confirmation_token: token },
  output: { message: messageSummary },
  hints: SEND,
  run: async (ctx, { grant, confirmation_token, ...message }) => {
    const id = await resolveGrant(ctx.api, grant);
    ctx.confirmations.spend(confirmation_token, messageSubject(ctx, id, message), "confirm_send_message");
    const reply = await ctx.api.post(grantPath(id, "/messages/send"), requestBody(message));
    return { message: summarize(reply.body.data as Row) };
  },
});

/** A draft as it would go out: a confirmation is void once the draft changes. */
async function draftSubject(ctx: ToolContext, grantId: string, draftId: string) {
  const reply = await ctx.api.get(grantPath(grantId, `/drafts/${encodeURIComponent(draftId)}`));
  const d = reply.body.data as Row;
  const view = {
    to: (d.to as unknown[]) ?? [],
    cc: (d.cc as unknown[]) ?? [],
    bcc: (d.bcc as unknown[]) ?? [],
    subject: String(d.subject ?? ""),
    body: String(d.body ?? ""),
    attachments: ((d.attachments as Row[]) ?? []).map((a) => ({ filename: a.filename, size: a.size })),
  };
  return { view, subject: { caller: ctx.caller, kind: "draft", grant: grantId, draft: draftId, ...view } };
}

export const confirmSendDraft = defineTool({
  name: "confirm_send_draft",
  title: "Confirm a draft before sending",
  description:
    "Step 1 of sending a draft: shows the draft as it would go out and returns a confirmation_token, valid 5 minutes, for send_draft. Changing the draft voids it. Sends nothing.",
  input: { grant: grantArg, draft_id: z.string().min(1) },
  output: { ...confirmation, preview: preview.extend({ attachments: z.array(z.looseObject({})) }) },
  hints: READ,
  run: async (ctx, { grant, draft_id }) => {
    const id = await resolveGrant(ctx.api, grant);
    const { view, subject } = await draftSubject(ctx, id, draft_id);
    if (view.to.length === 0) throw new ToolFailure("the draft has no recipient: update_draft first");
    return {
      ...ctx.confirmations.issue(subject),
      preview: view as z.infer<typeof preview> & { attachments: Row[] },
    };
  },
});

export const sendDraft = defineTool({
  name: "send_draft",
  title: "Send a draft",
  description:
    "Step 2 of sending a draft: sends it, given the confirmation_token confirm_send_draft returned for it unchanged. A token works once.",
  input: { grant: grantArg, draft_id: z.string().min(1), confirmation_token: token },
  output: { message: messageSummary },
  hints: SEND,
  run: async (ctx, { grant, draft_id, confirmation_token }) => {
    const id = await resolveGrant(ctx.api, grant);
    const confirmed = ctx.confirmations.take(confirmation_token, "confirm_send_draft");
    confirmed.check((await draftSubject(ctx, id, draft_id)).subject);
    const reply = await ctx.api.post(grantPath(id, `/drafts/${encodeURIComponent(draft_id)}`), {});
    return { message: summarize(reply.body.data as Row) };
  },
});

export const replyToMessage = defineTool({
  name: "reply_to_message",
  title: "Reply to a message",
  description:
    "Replies to a message (its sender, or everyone with reply_all), threaded. Called without confirmation_token it sends nothing and returns the exact reply and a token; call it again with the same arguments and that token to send.",
  input: {
    grant: grantArg,
    message_id: z.string().min(1),
    body: outgoingFields.body,
    html: outgoingFields.html,
    reply_all: z.boolean().optional().describe("Also to the other recipients (default false)"),
    confirmation_token: token,
  },
  output: {
    sent: z.boolean(),
    reply: preview,
    message: messageSummary.optional(),
    confirmation_token: confirmation.confirmation_token.optional(),
    expires_at: confirmation.expires_at.optional(),
  },
  hints: SEND,
  run: async (ctx, { grant, message_id, body, html, reply_all, confirmation_token }) => {
    const id = await resolveGrant(ctx.api, grant);
    const [original, account] = await Promise.all([
      readMessage(ctx, id, message_id),
      ctx.api.get(grantPath(id)).then((r) => r.body.data as Row),
    ]);
    const reply = replyTo(original, String(account.email ?? ""), body, html ?? false, reply_all ?? false);
    const subject = { ...messageSubject(ctx, id, reply), kind: "reply" };
    const shown = canonicalOutgoing(reply);
    if (confirmation_token === undefined) {
      return { sent: false, reply: shown, ...ctx.confirmations.issue(subject) };
    }
    ctx.confirmations.spend(confirmation_token, subject, "reply_to_message without confirmation_token");
    const sent = await ctx.api.post(grantPath(id, "/messages/send"), requestBody(reply));
    return {
      sent: true,
      reply: shown,
      message: summarize(sent.body.data as Row),
    };
  },
});

type Person = { email: string; name?: string };

/** The reply: to Reply-To or the sender; with reply_all, the other recipients in Cc; "Re: " once. */
function replyTo(original: Row, self: string, body: string, html: boolean, all: boolean): Outgoing {
  const replyTo = (original.reply_to as Person[]) ?? [];
  const to = replyTo.length > 0 ? replyTo : ((original.from as Person[]) ?? []);
  const seen = new Set([self.toLowerCase(), ...to.map((p) => p.email.toLowerCase())]);
  const cc: Person[] = [];
  if (all) {
    for (const p of [...((original.to as Person[]) ?? []), ...((original.cc as Person[]) ?? [])]) {
      if (seen.has(p.email.toLowerCase())) continue;
      seen.add(p.email.toLowerCase());
      cc.push(p);
    }
  }
  const subject = String(original.subject ?? "");
  return {
    to,
    cc,
    subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
    body,
    html,
    reply_to_message_id: String(original.id),
  };
}
