/**
 * The column values a message is indexed under in `messages_fts` (schema.ts). Each column goes
 * through indexText, the same rules fts.ts applies to queries, so the two agree.
 */
import { ALL_ROWS_TOKEN, indexText } from "./tokens.ts";

export interface SearchParticipant {
  name?: string;
  email: string;
}

export interface SearchableMessage {
  subject: string;
  from: SearchParticipant[];
  to: SearchParticipant[];
  cc: SearchParticipant[];
  bcc: SearchParticipant[];
  replyTo: SearchParticipant[];
  /** Visible body text; HTML already rendered to text by the caller. */
  bodyText: string;
  attachmentFilenames: string[];
}

export interface SearchDocument {
  subject: string;
  participants: string;
  from_addr: string;
  to_addr: string;
  cc_addr: string;
  body: string;
  filenames: string;
}

/** Body text beyond this many characters is not searchable; bounds the index per message. */
export const MAX_INDEXED_BODY_CHARS = 100_000;

export function searchDocument(msg: SearchableMessage): SearchDocument {
  const everyone = [...msg.from, ...msg.to, ...msg.cc, ...msg.bcc, ...msg.replyTo];
  return {
    subject: `${indexText(msg.subject)} ${ALL_ROWS_TOKEN}`,
    participants: people(everyone),
    from_addr: people(msg.from),
    to_addr: people(msg.to),
    cc_addr: people(msg.cc),
    body: indexText(truncateBody(msg.bodyText)),
    filenames: indexText(msg.attachmentFilenames.join(" ")),
  };
}

function people(list: SearchParticipant[]): string {
  return indexText(list.map((p) => `${p.name ?? ""} ${p.email}`).join(" "));
}

/** Cuts at whitespace so the last word (or address) is not indexed half. */
function truncateBody(text: string): string {
  if (text.length <= MAX_INDEXED_BODY_CHARS) return text;
  let end = MAX_INDEXED_BODY_CHARS;
  while (end > 0 && !/\s/.test(text[end] ?? "")) end--;
  return text.slice(0, end > 0 ? end : MAX_INDEXED_BODY_CHARS);
}
