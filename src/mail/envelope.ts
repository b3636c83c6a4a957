/**
 * The IMAP ENVELOPE of a message (RFC 3501 §7.4.2) as JSON, and its wire form.
 * Strings are the raw header values as binary strings (one char per byte), not decoded:
 * IMAP clients decode encoded-words themselves.
 */
import { type ImapAddress, parseAddressList } from "./address-list.ts";
import type { HeaderField } from "./header-block.ts";
import { list, nstring } from "./imap-syntax.ts";

export type { ImapAddress } from "./address-list.ts";

export interface ImapEnvelope {
  date: string | null;
  subject: string | null;
  /** Address lists are null when the field is absent or holds no address (IMAP NIL). */
  from: ImapAddress[] | null;
  sender: ImapAddress[] | null;
  replyTo: ImapAddress[] | null;
  to: ImapAddress[] | null;
  cc: ImapAddress[] | null;
  bcc: ImapAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

/**
 * As Dovecot builds it from a header that repeats a field: the last Date, Subject, In-Reply-To
 * and Message-ID, and every occurrence's addresses in order.
 */
export function buildEnvelope(headers: readonly HeaderField[]): ImapEnvelope {
  const all = (name: string) => headers.filter((f) => f.name.toLowerCase() === name);
  const text = (name: string) => all(name).at(-1)?.value ?? null;
  const addresses = (name: string) => {
    const parsed = all(name).flatMap((f) => parseAddressList(f.value));
    return parsed.length > 0 ? parsed : null;
  };
  const from = addresses("from");
  return {
    date: text("date"),
    subject: text("subject"),
    from,
    // RFC 3501: an absent or empty Sender / Reply-To is the From.
    sender: addresses("sender") ?? from,
    replyTo: addresses("reply-to") ?? from,
    to: addresses("to"),
    cc: addresses("cc"),
    bcc: addresses("bcc"),
    inReplyTo: text("in-reply-to"),
    messageId: text("message-id"),
  };
}

/** `(date subject (from) (sender) (reply-to) (to) (cc) (bcc) in-reply-to message-id)` */
export function encodeEnvelope(env: ImapEnvelope): string {
  return list([
    nstring(env.date),
    nstring(env.subject),
    encodeAddresses(env.from),
    encodeAddresses(env.sender),
    encodeAddresses(env.replyTo),
    encodeAddresses(env.to),
    encodeAddresses(env.cc),
    encodeAddresses(env.bcc),
    nstring(env.inReplyTo),
    nstring(env.messageId),
  ]);
}

function encodeAddresses(addresses: ImapAddress[] | null): string {
  if (!addresses || addresses.length === 0) return "NIL";
  // An address without a domain gets Dovecot's placeholder (an empty host reads as a group).
  const encoded = addresses.map((a) =>
    list([
      nstring(a.name),
      nstring(a.adl),
      nstring(a.mailbox),
      nstring(a.host === "" ? "MISSING_DOMAIN" : a.host),
    ]),
  );
  return `(${encoded.join("")})`;
}
