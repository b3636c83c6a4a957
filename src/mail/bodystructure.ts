/**
 * IMAP BODYSTRUCTURE / BODY (RFC 3501 §7.4.2) from a MIME tree, as JSON and on the wire.
 * Output follows Dovecot's choices where the RFC leaves room (default charset, the empty part
 * of a partless multipart) so clients see what they are used to. Sizes are octets of the
 * body as stored (still transfer-encoded); lines are LF counts.
 */
import type { Disposition } from "./content-headers.ts";
import { buildEnvelope, encodeEnvelope, type ImapEnvelope } from "./envelope.ts";
import type { Params } from "./header-params.ts";
import { imapString, list, nstring, nstringList } from "./imap-syntax.ts";
import type { MimeNode } from "./mime-tree.ts";
import { isMultipart } from "./parts.ts";

export type Param = [name: string, value: string];

export interface DispositionStructure {
  type: string;
  params: Param[] | null;
}

/** Extension data shared by both kinds of body. */
interface Extensions {
  disposition: DispositionStructure | null;
  language: string[] | null;
  location: string | null;
}

export interface MultipartStructure extends Extensions {
  type: "multipart";
  subtype: string;
  parts: BodyStructure[];
  params: Param[] | null;
}

export interface SinglePartStructure extends Extensions {
  type: string;
  subtype: string;
  params: Param[] | null;
  id: string | null;
  description: string | null;
  encoding: string;
  size: number;
  /** text/* and message/rfc822 only. */
  lines?: number;
  /** message/rfc822 only. */
  envelope?: ImapEnvelope;
  body?: BodyStructure;
  md5: string | null;
}

export type BodyStructure = MultipartStructure | SinglePartStructure;

export function buildBodyStructure(node: MimeNode): BodyStructure {
  return isMultipart(node) ? multipart(node) : singlePart(node);
}

function multipart(node: MimeNode): MultipartStructure {
  // A multipart must have a part; like Dovecot, show an empty text/plain when none was found.
  const parts = node.children.length > 0 ? node.children.map(buildBodyStructure) : [emptyPart()];
  return {
    type: "multipart",
    subtype: node.contentType.subtype,
    parts,
    params: paramList(node.contentType.params),
    ...extensions(node),
  };
}

function singlePart(node: MimeNode): SinglePartStructure {
  const { type, subtype, params } = node.contentType;
  const structure: SinglePartStructure = {
    type,
    subtype,
    params: type === "text" ? withDefaultCharset(params) : paramList(params),
    id: node.contentId ?? null,
    description: node.description ?? null,
    encoding: node.encoding,
    size: node.bodyEnd - node.bodyStart,
    md5: node.md5 ?? null,
    ...extensions(node),
  };
  if (type === "text") structure.lines = node.lineCount;
  if (type === "message" && subtype === "rfc822") {
    // Past the nesting limit there is no parsed message: send an empty one, which is still valid syntax.
    structure.envelope = buildEnvelope(node.message?.headers ?? []);
    structure.body = node.message ? buildBodyStructure(node.message) : emptyPart();
    structure.lines = node.lineCount;
  }
  return structure;
}

function extensions(node: MimeNode): Extensions {
  return {
    disposition: node.disposition ? dispositionStructure(node.disposition) : null,
    language: node.language ?? null,
    location: node.location ?? null,
  };
}

function dispositionStructure(disposition: Disposition): DispositionStructure {
  return { type: disposition.type, params: paramList(disposition.params) };
}

function paramList(params: Params): Param[] | null {
  const entries = Object.entries(params);
  return entries.length > 0 ? entries : null;
}

function withDefaultCharset(params: Params): Param[] {
  const entries: Param[] = Object.entries(params);
  if (!Object.hasOwn(params, "charset")) entries.push(["charset", "us-ascii"]);
  return entries;
}

function emptyPart(): SinglePartStructure {
  return {
    type: "text",
    subtype: "plain",
    params: [["charset", "us-ascii"]],
    id: null,
    description: null,
    encoding: "7bit",
    size: 0,
    lines: 0,
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
}

/** The parenthesized `body` production: BODYSTRUCTURE when `extended`, else BODY. */
export function encodeBodyStructure(bs: BodyStructure, extended: boolean): string {
  return `(${"parts" in bs ? encodeMultipart(bs, extended) : encodeSinglePart(bs, extended)})`;
}

function encodeMultipart(bs: MultipartStructure, extended: boolean): string {
  const parts = bs.parts.map((part) => encodeBodyStructure(part, extended)).join("");
  const head = `${parts} ${imapString(bs.subtype)}`;
  return extended ? `${head} ${encodeParams(bs.params)} ${encodeExtensions(bs)}` : head;
}

function encodeSinglePart(bs: SinglePartStructure, extended: boolean): string {
  const fields = [
    imapString(bs.type),
    imapString(bs.subtype),
    encodeParams(bs.params),
    nstring(bs.id),
    nstring(bs.description),
    imapString(bs.encoding),
    String(bs.size),
  ];
  if (bs.envelope && bs.body)
    fields.push(encodeEnvelope(bs.envelope), encodeBodyStructure(bs.body, extended));
  if (bs.lines !== undefined) fields.push(String(bs.lines));
  if (extended) fields.push(nstring(bs.md5), encodeExtensions(bs));
  return fields.join(" ");
}

function encodeParams(params: Param[] | null): string {
  return nstringList(params?.flat());
}

function encodeExtensions(bs: Extensions): string {
  const disposition = bs.disposition
    ? list([imapString(bs.disposition.type), encodeParams(bs.disposition.params)])
    : "NIL";
  return `${disposition} ${nstringList(bs.language)} ${nstring(bs.location)}`;
}
