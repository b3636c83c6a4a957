/**
 * Parsing of MIME parameter headers (`Content-Type`, `Content-Disposition`):
 * `value; name=token; other="quoted \"string\""`, with RFC 2231 continuations merged.
 *
 * Strings are binary strings (one char per byte) so 8-bit values survive untouched.
 * Parameter names are lower-cased; values are kept as written (unquoted).
 */

export type Params = Record<string, string>;

export interface ParamHeader {
  /** The part before the first `;`, trimmed, as written. */
  value: string;
  params: Params;
}

export function parseParamHeader(raw: string): ParamHeader {
  const [head = "", ...rest] = splitOutsideQuotes(raw, ";");
  const pairs: Array<[string, string]> = [];
  for (const segment of rest) {
    const pair = parseParam(segment);
    if (pair) pairs.push(pair);
  }
  return { value: trimWsp(head), params: mergeContinuations(pairs) };
}

/** Trims only SP/HT/CR/LF: `String.prototype.trim` would also eat byte 0xA0 of an 8-bit value. */
export function trimWsp(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

function splitOutsideQuotes(s: string, separator: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function parseParam(segment: string): [string, string] | null {
  const eq = segment.indexOf("=");
  if (eq < 0) return null;
  const name = trimWsp(segment.slice(0, eq)).toLowerCase();
  if (name === "") return null;
  const rawValue = trimWsp(segment.slice(eq + 1));
  return [name, rawValue.startsWith('"') ? unquote(rawValue) : rawValue];
}

/** Content of a quoted-string (backslash escapes removed); an unterminated one runs to the end. */
function unquote(s: string): string {
  let out = "";
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') break;
    if (c === "\\" && i + 1 < s.length) i++;
    out += s[i];
  }
  return out;
}

const SECTION = /^(.+?)\*(\d+)(\*?)$/;

interface Section {
  index: number;
  value: string;
  encoded: boolean;
}

/**
 * RFC 2231 §3: `name*0=a; name*1=b` becomes `name=ab`. When any section is encoded
 * (`name*0*=utf-8''%E2%82`) the result is kept encoded under `name*`, as Dovecot does,
 * so IMAP BODYSTRUCTURE can show it and `decodeParam` can decode it.
 */
function mergeContinuations(pairs: Array<[string, string]>): Params {
  const sections = new Map<string, Section[]>();
  // Each name keeps the position of its first appearance; `sectioned` marks RFC 2231 bases.
  const order: Array<{ name: string; sectioned: boolean }> = [];
  const plain = new Map<string, string>();
  for (const [name, value] of pairs) {
    const m = SECTION.exec(name);
    if (m?.[1] === undefined) {
      if (!plain.has(name)) {
        plain.set(name, value);
        order.push({ name, sectioned: false });
      }
      continue;
    }
    const base = m[1];
    let list = sections.get(base);
    if (!list) {
      list = [];
      sections.set(base, list);
      order.push({ name: base, sectioned: true });
    }
    list.push({ index: Number(m[2]), value, encoded: m[3] === "*" });
  }
  const params: Params = {};
  for (const { name, sectioned } of order) {
    const [key, value] = sectioned
      ? joinSections(name, sections.get(name) ?? [])
      : [name, plain.get(name) ?? ""];
    if (!Object.hasOwn(params, key)) params[key] = value;
  }
  return params;
}

function joinSections(base: string, list: Section[]): [string, string] {
  list.sort((a, b) => a.index - b.index);
  if (!list.some((s) => s.encoded)) return [base, list.map((s) => s.value).join("")];
  // Unencoded sections are percent-escaped so the joined value decodes back to what was sent.
  const joined = list.map((s) => (s.encoded ? s.value : s.value.replace(/%/g, "%25"))).join("");
  const first = list[0];
  return [`${base}*`, first?.encoded && first.index === 0 ? joined : `''${joined}`];
}
