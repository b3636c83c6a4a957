/** Response pieces: flags, dates, mailbox names, response codes. Binary strings (one char per byte). */

import type { Flags } from "../../src/domain/flags.ts";
import { imapString, quoted } from "../../src/mail/imap-syntax.ts";
import { encodeMailboxName } from "./utf7.ts";

export { imapString, list, literal, nstring, quoted } from "../../src/mail/imap-syntax.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The system flags this server stores; any other atom is a keyword. */
export const SYSTEM_FLAG_NAMES = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"] as const;

export function flagNames(flags: Flags, recent = false): string[] {
  const out: string[] = [];
  if (flags.seen) out.push("\\Seen");
  if (flags.answered) out.push("\\Answered");
  if (flags.flagged) out.push("\\Flagged");
  if (flags.deleted) out.push("\\Deleted");
  if (flags.draft) out.push("\\Draft");
  if (recent) out.push("\\Recent");
  for (const k of flags.keywords) out.push(k);
  return out;
}

export function flagList(flags: Flags, recent = false): string {
  return `(${flagNames(flags, recent).join(" ")})`;
}

/** date-time: "dd-Mon-yyyy hh:mm:ss +0000", quoted, day padded with a space. */
export function internalDate(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const day = String(d.getUTCDate()).padStart(2, " ");
  const two = (n: number) => String(n).padStart(2, "0");
  return `"${day}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(
    d.getUTCMinutes(),
  )}:${two(d.getUTCSeconds())} +0000"`;
}

/** A mailbox name on the wire: modified UTF-7, as a quoted string. */
export function mailboxOut(name: string): string {
  return imapString(encodeMailboxName(name));
}

/** Human text for a tagged/untagged response: one line, no CR/LF, printable. */
export function respText(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[^\x20-\x7e]/g, "?");
}

export { quoted as quote };
