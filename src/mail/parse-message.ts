/**
 * Everything the store keeps about a message besides its raw bytes, computed once at ingest:
 * the API's fields, the body, attachments, IMAP's ENVELOPE and BODYSTRUCTURE, and the
 * extracted codes and links. Tolerant: any bytes give a result.
 */
import iconv from "iconv-lite";
import { parseAddressList } from "./address-list.ts";
import { type AttachmentInfo, listAttachments } from "./attachments.ts";
import { type BodyStructure, buildBodyStructure } from "./bodystructure.ts";
import { buildEnvelope, type ImapEnvelope } from "./envelope.ts";
import { htmlToText } from "./extract/html.ts";
import { type Extracted, extract } from "./extract/index.ts";
import { headerValue } from "./header-block.ts";
import { binaryToText, decodeHeaderText } from "./header-decode.ts";
import { type MimeNode, parseMimeTree } from "./mime-tree.ts";
import { leafParts } from "./parts.ts";
import { decodeTransfer } from "./transfer-decode.ts";

export interface Participant {
  name?: string;
  email: string;
}

export interface ParsedMessage {
  subject: string | null;
  from: Participant[];
  to: Participant[];
  cc: Participant[];
  bcc: Participant[];
  replyTo: Participant[];
  /** The Date header, Unix seconds; null when absent or unreadable. */
  dateHeader: number | null;
  /** The Message-ID with its angle brackets, e.g. `<abc@host>`. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Plain text: the text part, or the HTML part rendered as text. */
  text: string;
  html: string | null;
  /** The API's `body`: the HTML part, or the text up-converted to HTML. */
  body: string;
  snippet: string;
  attachments: AttachmentInfo[];
  envelope: ImapEnvelope;
  bodyStructure: BodyStructure;
  tree: MimeNode;
  extracted: Extracted;
}

const SNIPPET_LENGTH = 100;

export function parseMessage(raw: Uint8Array): ParsedMessage {
  const tree = parseMimeTree(raw);
  const header = (name: string) => headerValue(tree.headers, name);
  const { text: plain, html } = bodyTexts(raw, tree);
  const text = plain ?? (html ? htmlToText(html) : "");
  return {
    subject: decoded(header("subject")),
    from: participants(header("from")),
    to: participants(header("to")),
    cc: participants(header("cc")),
    bcc: participants(header("bcc")),
    replyTo: participants(header("reply-to")),
    dateHeader: dateOf(header("date")),
    messageId: messageIds(header("message-id"))[0] ?? null,
    inReplyTo: messageIds(header("in-reply-to"))[0] ?? null,
    references: messageIds(header("references")),
    text,
    html,
    body: html ?? textToHtml(text),
    snippet: snippetOf(text),
    attachments: listAttachments(raw, tree),
    envelope: buildEnvelope(tree.headers),
    bodyStructure: buildBodyStructure(tree),
    tree,
    extracted: extract(text, html),
  };
}

function decoded(value: string | undefined): string | null {
  return value === undefined ? null : decodeHeaderText(value);
}

function participants(value: string | undefined): Participant[] {
  if (!value) return [];
  const out: Participant[] = [];
  for (const a of parseAddressList(value)) {
    if (!a.mailbox || !a.host) continue; // group markers
    const email = binaryToText(`${a.mailbox}@${a.host}`).toLowerCase();
    const name = a.name ? decodeHeaderText(a.name).trim() : "";
    out.push(name ? { name, email } : { email });
  }
  return out;
}

function dateOf(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, ""));
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = binaryToText(value).match(/<[^<>\s]+>/g);
  if (ids) return ids;
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? [`<${bare}>`] : [];
}

/** The first text/plain and text/html parts that are not attachments. */
function bodyTexts(raw: Uint8Array, tree: MimeNode): { text: string | null; html: string | null } {
  let text: string | null = null;
  let html: string | null = null;
  for (const { node } of leafParts(tree)) {
    const { type, subtype, params } = node.contentType;
    if (type !== "text" || node.disposition?.type === "attachment") continue;
    if (params?.name || node.disposition?.params?.filename) continue;
    if (subtype === "plain" && text === null) text = decodeText(raw, node, params?.charset);
    else if (subtype === "html" && html === null) html = decodeText(raw, node, params?.charset);
  }
  return { text, html };
}

/** A text part's body as text: transfer encoding undone, then its charset. */
export function decodeText(raw: Uint8Array, node: MimeNode, charset: string | undefined): string {
  const bytes = decodeTransfer(raw.subarray(node.bodyStart, node.bodyEnd), node.encoding);
  const name = (charset ?? "utf-8").trim().toLowerCase();
  if (name !== "us-ascii" && name !== "utf-8" && iconv.encodingExists(name))
    return iconv.decode(Buffer.from(bytes), name);
  // us-ascii is often a lie: read 8-bit bytes as UTF-8 when valid, else Latin-1.
  return binaryToText(Buffer.from(bytes).toString("latin1"));
}

function snippetOf(text: string): string {
  // Collapse only the head: a snippet never needs the rest of a long body.
  return text
    .slice(0, SNIPPET_LENGTH * 20)
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, SNIPPET_LENGTH);
}

function textToHtml(text: string): string {
  const escaped = text.replace(
    /[&<>"]/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] ?? ch,
  );
  return `<div>${escaped.replace(/\r?\n/g, "<br>")}</div>`;
}
