/**
 * What IMAP SORT (RFC 5256, RFC 5957 DISPLAYFROM/DISPLAYTO) and THREAD order and group by,
 * computed once from a message's ENVELOPE and stored on its row, so neither reads a raw message.
 * Keys are case-mapped (upper case) for comparison by code unit, as i;ascii-casemap does for ASCII.
 */
import type { ImapAddress } from "./address-list.ts";
import { baseSubject } from "./base-subject.ts";
import type { ImapEnvelope } from "./envelope.ts";
import { binaryToText, decodeHeaderText } from "./header-decode.ts";

export interface SortKeys {
  /** The base subject (RFC 5256 §2.1). */
  subject: string;
  /** The subject was a reply or forward ("Re:", "Fwd:", "(fwd)", "[fwd: …]" removed). */
  subjectReply: boolean;
  /** The mailbox (local part) of the first From, To and Cc address; a group's name for a group. */
  from: string;
  to: string;
  cc: string;
  /** RFC 5957: the first address's display name, or its address when it has none. */
  displayFrom: string;
  displayTo: string;
}

export function sortKeys(envelope: ImapEnvelope): SortKeys {
  const subject = baseSubject(envelope.subject === null ? "" : decodeHeaderText(envelope.subject));
  return {
    subject: casemap(subject.base),
    subjectReply: subject.reply,
    from: mailboxKey(envelope.from),
    to: mailboxKey(envelope.to),
    cc: mailboxKey(envelope.cc),
    displayFrom: displayKey(envelope.from),
    displayTo: displayKey(envelope.to),
  };
}

function mailboxKey(list: ImapAddress[] | null): string {
  const first = list?.[0];
  return first?.mailbox ? casemap(binaryToText(first.mailbox)) : "";
}

function displayKey(list: ImapAddress[] | null): string {
  const first = list?.[0];
  if (!first) return "";
  const name = first.name ? decodeHeaderText(first.name).trim() : "";
  if (name) return casemap(name);
  const mailbox = first.mailbox ? binaryToText(first.mailbox) : "";
  return casemap(first.host ? `${mailbox}@${binaryToText(first.host)}` : mailbox);
}

function casemap(s: string): string {
  return s.toUpperCase();
}
