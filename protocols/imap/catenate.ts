/**
 * CATENATE (RFC 4469): an APPEND message put together from TEXT literals and URLs naming messages
 * or sections of this account (RFC 5092, absolute or relative to the selected mailbox). A URL
 * that does not resolve is `NO [BADURL url]`; a result over APPENDLIMIT is `NO [TOOBIG]`.
 */

import type { MimeNode } from "../../src/mail/mime-tree.ts";
import { fetchSection, parseSectionSpec, partial } from "../../src/mail/sections.ts";
import { fetchRows } from "../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../src/mailbox/messages.ts";
import { astringText, BadArgs } from "./args.ts";
import type { CommandSession } from "./command-session.ts";
import { fail } from "./completion.ts";
import { type ImapUrl, resolveImapUrl } from "./imap-url.ts";
import type { Token } from "./parser.ts";

export type CatenatePart = { kind: "text"; bytes: Buffer } | { kind: "url"; url: string };

/** `(TEXT literal / URL astring …)`, at least one part. */
export function parseCatenateParts(tokens: Token[]): CatenatePart[] {
  if (tokens.length === 0) throw new BadArgs("CATENATE needs at least one part");
  const parts: CatenatePart[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const kind = tokens[i];
    const value = tokens[i + 1];
    const name = kind?.kind === "atom" ? kind.value.toUpperCase() : "";
    if (name === "TEXT") {
      if (value?.kind !== "string" || !value.literal) throw new BadArgs("CATENATE TEXT must be a literal");
      parts.push({ kind: "text", bytes: value.bytes });
    } else if (name === "URL") {
      if (!value) throw new BadArgs("CATENATE URL needs a URL");
      parts.push({ kind: "url", url: astringText(value, "URL") });
    } else {
      throw new BadArgs("CATENATE parts are TEXT or URL");
    }
  }
  return parts;
}

/** The message the parts make, or NO [BADURL …] / NO [TOOBIG]. */
export function catenate(session: CommandSession, parts: CatenatePart[]): Buffer {
  const limit = session.appendLimit();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const part of parts) {
    const bytes = part.kind === "text" ? part.bytes : urlContent(session, part.url);
    size += bytes.length;
    if (size > limit) fail(`The message would be over APPENDLIMIT (${limit})`, "TOOBIG");
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function urlContent(session: CommandSession, text: string): Uint8Array {
  const badUrl = (why: string): never => fail(why, `BADURL ${text.replace(/[\]\r\n]/g, "")}`);
  const parsed = resolveImapUrl(text, selectedBase(session));
  if (!parsed.ok) return badUrl(`Invalid IMAP URL: ${parsed.reason}`);
  const url = parsed.url;
  // Only this account's messages: a URL naming a server (and so perhaps another user) is refused.
  if (url.server) return badUrl("Invalid IMAP URL: a relative URL is required");
  if (url.mailbox === undefined || url.uid === undefined) return badUrl("Invalid IMAP URL: no message");
  const entry = session.mailboxTree().find(url.mailbox);
  if (!entry) return badUrl(`Mailbox doesn't exist: ${url.mailbox}`);
  if (url.uidValidity !== undefined && url.uidValidity !== entry.folder.uidValidity)
    return badUrl("Invalid UIDVALIDITY");
  const { store } = session.ctx;
  const [row] = fetchRows(store, session.grantId, entry.folder.id, url.uid, url.uid, { tree: true });
  const raw = row ? rawMessage(store, row.blobHash) : null;
  if (!row || !raw) return badUrl("Message not found");
  const bytes = section(raw, row.treeJson, url.section);
  return url.partial ? partial(bytes, url.partial.offset, url.partial.length) : bytes;
}

/** A section that names no part is empty, as FETCH answers it (and Dovecot catenates it). */
function section(raw: Uint8Array, treeJson: string | null | undefined, spec: string | undefined): Uint8Array {
  if (spec === undefined) return raw;
  const parsed = parseSectionSpec(spec);
  const bytes = parsed && treeJson ? fetchSection(raw, JSON.parse(treeJson) as MimeNode, parsed) : null;
  return bytes ?? EMPTY;
}

const EMPTY = new Uint8Array(0);

/** Relative URLs resolve against the selected mailbox (RFC 4469 §5). */
function selectedBase(session: CommandSession): ImapUrl | undefined {
  const selected = session.selected;
  if (!selected) return undefined;
  const entry = session.mailboxTree().entries.find((e) => e.folder.id === selected.folderId);
  return entry ? { mailbox: entry.path, uidValidity: entry.folder.uidValidity } : undefined;
}
