import { createHash, randomUUID } from "node:crypto";
import MailComposer, {
  type MailComposerAttachment,
  type MailComposerOptions,
} from "nodemailer/lib/mail-composer";
import type { Attachment } from "./attachments.ts";
import type { CustomHeader } from "./custom-headers.ts";
import { ComposeError } from "./errors.ts";
import { textAlternative } from "./html-text.ts";
import type { Participant } from "./participants.ts";
import type { SendRequest } from "./request.ts";

export interface ComposeContext {
  /** The account's own address and display name. */
  from: { name?: string | null; email: string };
  messageIdDomain: string;
  /** Date header; now when absent. */
  date?: Date;
  /** The message being answered: its Message-ID and its own References, oldest first. */
  replyTo?: { messageId: string; references: string[] };
  /** A fixed Message-ID (with or without <>), e.g. to rebuild a stored draft; random when absent. */
  messageId?: string;
}

export interface ComposedMessage {
  /** RFC 5322 bytes with CRLF line ends. Bcc is not among the headers. */
  raw: Uint8Array;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
}

/** Builds the message; the same request, date and message id always give the same bytes. */
export async function composeMime(req: SendRequest, ctx: ComposeContext): Promise<ComposedMessage> {
  const messageId = ctx.messageId ? angle(ctx.messageId) : `<${randomUUID()}@${ctx.messageIdDomain}>`;
  const composer = new MailComposer({
    ...addressHeaders(req, ctx),
    ...threadingHeaders(ctx),
    subject: req.subject || undefined,
    messageId,
    date: ctx.date ?? new Date(),
    ...bodyParts(req),
    attachments: req.attachments.map(composerAttachment),
    headers: req.customHeaders.map((h) => ({ key: h.name, value: h.value })),
    normalizeHeaderKey: keepCustomCasing(req.customHeaders),
    // MailComposer draws a random boundary otherwise; tying it to the Message-ID keeps the output
    // reproducible while every message still gets its own.
    baseBoundary: createHash("sha256").update(messageId).digest("hex").slice(0, 24),
    newline: "win",
    // Every content is a buffer we hold; never let a value be read as a file path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await composer.compile().build();
  return { raw, messageId };
}

function addressHeaders(req: SendRequest, ctx: ComposeContext): MailComposerOptions {
  // Bcc is left out on purpose: it exists only in the envelope (see envelopeRecipients).
  return {
    from: address(sender(req, ctx)),
    to: addresses(req.to),
    cc: addresses(req.cc),
    replyTo: addresses(req.replyTo),
  };
}

/** The account may only send as itself; a `from` entry can at most change the display name. */
function sender(req: SendRequest, ctx: ComposeContext): Participant {
  const requested = req.from[0];
  if (requested && requested.email.toLowerCase() !== ctx.from.email.toLowerCase()) {
    throw new ComposeError(
      "from[0].email",
      `from[0].email must be this account's own address (${ctx.from.email}); it may only send as itself`,
    );
  }
  const name = requested?.name ?? ctx.from.name ?? undefined;
  return name ? { name, email: ctx.from.email } : { email: ctx.from.email };
}

function threadingHeaders(ctx: ComposeContext): MailComposerOptions {
  if (!ctx.replyTo) return {};
  const parent = angle(ctx.replyTo.messageId);
  const references = ctx.replyTo.references.map(angle).filter((id) => id !== parent);
  return { inReplyTo: parent, references: [...references, parent] };
}

function bodyParts(req: SendRequest): MailComposerOptions {
  if (req.isPlaintext) return { text: req.body };
  return { html: req.body, text: textAlternative(req.body) };
}

function composerAttachment(a: Attachment): MailComposerAttachment {
  const inlineCid = a.disposition === "inline" ? a.contentId : undefined;
  return {
    filename: a.filename,
    content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    contentType: a.contentType,
    contentDisposition: a.disposition,
    // `cid` is what moves a part into multipart/related beside the HTML; a content_id on a
    // non-inline attachment is only carried as a header.
    ...(inlineCid ? { cid: inlineCid } : {}),
    ...(a.contentId && !inlineCid ? { headers: { "Content-ID": `<${a.contentId}>` } } : {}),
  };
}

/** MailComposer title-cases header names ("X-Github-Event"); custom headers keep the caller's. */
function keepCustomCasing(headers: CustomHeader[]): (key: string) => string {
  const given = new Map(headers.map((h) => [h.name.toLowerCase(), h.name]));
  return (key) => given.get(key.toLowerCase()) ?? key;
}

function address(p: Participant): { name: string; address: string } | string {
  return p.name ? { name: p.name, address: p.email } : p.email;
}

function addresses(list: Participant[]): ReturnType<typeof address>[] | undefined {
  return list.length > 0 ? list.map(address) : undefined;
}

function angle(id: string): string {
  const bare = id.trim().replace(/^<(.*)>$/, "$1");
  return `<${bare}>`;
}
