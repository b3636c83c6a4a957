import { z } from "zod";
import { recipients } from "./schemas.ts";

/** The fields of a message to send or to draft, as the tools take them. */
export const outgoingFields = {
  to: recipients.describe("Recipients"),
  cc: recipients.optional(),
  bcc: recipients.optional(),
  subject: z.string().max(998).optional(),
  body: z.string().max(5_000_000).describe("The text of the message (HTML when html is true)"),
  html: z.boolean().optional().describe("body is HTML (default: plain text)"),
  reply_to_message_id: z.string().optional().describe("The message this one answers (threads it)"),
};

export type Outgoing = {
  to: { email: string; name?: string }[];
  cc?: { email: string; name?: string }[];
  bcc?: { email: string; name?: string }[];
  subject?: string;
  body: string;
  html?: boolean;
  reply_to_message_id?: string;
};

/** The JSON the send and draft routes take. */
export function requestBody(m: Partial<Outgoing>) {
  return {
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    subject: m.subject,
    body: m.body,
    is_plaintext: m.body === undefined ? undefined : !m.html,
    reply_to_message_id: m.reply_to_message_id,
  };
}

/** Exactly what would go out, for the confirmation digest and the preview. */
export function canonicalOutgoing(m: Outgoing) {
  return {
    to: m.to,
    cc: m.cc ?? [],
    bcc: m.bcc ?? [],
    subject: m.subject ?? "",
    body: m.body,
    html: m.html ?? false,
    reply_to_message_id: m.reply_to_message_id ?? null,
  };
}
