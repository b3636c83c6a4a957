/**
 * IMAP URLs (RFC 5092), parsed into their parts: the absolute form
 * `imap://user;AUTH=*@host:port/INBOX;UIDVALIDITY=5/;UID=20/;SECTION=1.2;PARTIAL=0.100`
 * with URLAUTH's additions (RFC 4467: `;EXPIRE=…;URLAUTH=access:MECH:token`), and the relative
 * forms CATENATE (RFC 4469) takes, resolved against a base. Pure: no I/O, nothing of the server.
 *
 * Mailbox names and user names come out percent-decoded (UTF-8); keys (`;UID=`…) match in any
 * case. Only the message-part form is fully parsed: `?search` and `;TYPE=` commands are refused.
 */

export interface ImapUrlPartial {
  offset: number;
  /** Absent: to the end. */
  length?: number;
}

/** Who may use a URLAUTH URL (RFC 4467 §3). */
export type UrlAccess =
  | { kind: "submit"; user: string }
  | { kind: "user"; user: string }
  | { kind: "authuser" }
  | { kind: "anonymous" };

export interface ImapUrl {
  /** Absent in a relative URL. */
  server?: { user?: string; auth?: string; host: string; port?: number };
  mailbox?: string;
  uidValidity?: number;
  uid?: number;
  /** Upper-cased, as a FETCH section spec (`1.2`, `HEADER`, `1.MIME`). */
  section?: string;
  partial?: ImapUrlPartial;
  expire?: Date;
  access?: UrlAccess;
  /** `INTERNAL`, upper-cased, when the URL carries a verifier. */
  mechanism?: string;
  /** The verifier's token, lower-cased hex. */
  token?: string;
  /** The URL up to and including the access identifier: what the token signs (RFC 4467 §7). */
  rump?: string;
}

export type ImapUrlResult = { ok: true; url: ImapUrl } | { ok: false; reason: string };

const NZ_NUMBER = /^[1-9]\d{0,9}$/;
const NUMBER = /^\d{1,10}$/;
const MAX = 0xffffffff;
/** A FETCH section spec (RFC 3501 `section-spec`), upper-cased. */
const SECTION =
  /^(\d+(\.\d+)*(\.(HEADER|TEXT|MIME|HEADER\.FIELDS(\.NOT)? \(.+\)))?|HEADER|TEXT|HEADER\.FIELDS(\.NOT)? \(.+\))$/;
/** `:MECH:token` at the end of a URLAUTH URL (RFC 4467 `iua-verifier`). */
const VERIFIER = /:([A-Za-z0-9][A-Za-z0-9.-]*):([0-9a-fA-F]{32,})$/;
/** RFC 3339 date-time (RFC 4467 `expire`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an absolute `imap://` URL. */
export function parseImapUrl(text: string): ImapUrlResult {
  const verifier = VERIFIER.exec(text);
  const rump = verifier ? text.slice(0, verifier.index) : text;
  if (!/^imap:\/\//i.test(rump)) return fail("not an imap:// URL");
  const rest = rump.slice("imap://".length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const server = parseServer(authority);
  if (!server.ok) return server;
  if (slash < 0 || slash === rest.length - 1) {
    if (verifier) return fail("a verifier without URLAUTH");
    return { ok: true, url: { server: server.value } };
  }
  const path = parsePath(rest.slice(slash + 1));
  if (!path.ok) return path;
  const url: ImapUrl = { server: server.value, ...path.url };
  if (url.access) url.rump = rump;
  if (verifier) {
    if (!url.access) return fail("a verifier without URLAUTH");
    url.mechanism = (verifier[1] ?? "").toUpperCase();
    url.token = (verifier[2] ?? "").toLowerCase();
  }
  return { ok: true, url };
}

/**
 * Parses a URL as CATENATE takes it: absolute, or relative to `base` (RFC 5092 §7.1): a network
 * path `//host/…`, an absolute path `/INBOX/;UID=1`, or a path relative to the base's mailbox
 * (`;UID=2/;SECTION=1`) or to its message (`;SECTION=1`, `;PARTIAL=0.10`).
 */
export function resolveImapUrl(text: string, base?: ImapUrl): ImapUrlResult {
  if (/^imap:\/\//i.test(text)) return parseImapUrl(text);
  if (text.startsWith("//")) return parseImapUrl(`imap:${text}`);
  if (text.startsWith("/")) {
    const path = parsePath(text.slice(1));
    if (!path.ok) return path;
    if (path.url.access) return fail("URLAUTH needs an absolute URL");
    return { ok: true, url: { server: base?.server, ...path.url } };
  }
  if (!base || base.mailbox === undefined) return fail("a relative URL needs a base mailbox");
  const rel = parseRelative(text, base);
  return rel;
}

/** The URL written back in its canonical absolute form (keys upper-cased, names encoded). */
export function formatImapUrl(url: ImapUrl): string {
  let out = "imap://";
  if (url.server) {
    const { user, auth, host, port } = url.server;
    if (user !== undefined || auth !== undefined) {
      if (user !== undefined) out += encode(user);
      if (auth !== undefined) out += `;AUTH=${auth === "*" ? "*" : encode(auth)}`;
      out += "@";
    }
    out += host;
    if (port !== undefined) out += `:${port}`;
  }
  if (url.mailbox === undefined) return out;
  out += `/${encodeMailbox(url.mailbox)}`;
  if (url.uidValidity !== undefined) out += `;UIDVALIDITY=${url.uidValidity}`;
  if (url.uid !== undefined) out += `/;UID=${url.uid}`;
  if (url.section !== undefined) out += `/;SECTION=${encode(url.section)}`;
  if (url.partial) {
    out += `/;PARTIAL=${url.partial.offset}`;
    if (url.partial.length !== undefined) out += `.${url.partial.length}`;
  }
  if (url.access) {
    if (url.expire) out += `;EXPIRE=${url.expire.toISOString()}`;
    out += `;URLAUTH=${formatAccess(url.access)}`;
    if (url.mechanism && url.token) out += `:${url.mechanism}:${url.token}`;
  }
  return out;
}

export function formatAccess(access: UrlAccess): string {
  switch (access.kind) {
    case "submit":
      return `submit+${encode(access.user)}`;
    case "user":
      return `user+${encode(access.user)}`;
    default:
      return access.kind;
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseServer(authority: string): Parsed<NonNullable<ImapUrl["server"]>> {
  const at = authority.lastIndexOf("@");
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const server: NonNullable<ImapUrl["server"]> = { host: "" };
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const authAt = userinfo.search(/;auth=/i);
    const user = authAt < 0 ? userinfo : userinfo.slice(0, authAt);
    if (user !== "") {
      const decoded = decode(user);
      if (decoded === null) return fail("bad user name encoding");
      server.user = decoded;
    }
    if (authAt >= 0) {
      const auth = userinfo.slice(authAt + ";auth=".length);
      const decoded = auth === "*" ? "*" : decode(auth);
      if (!decoded) return fail("bad AUTH");
      server.auth = decoded;
    }
    if (server.user === undefined && server.auth === undefined) return fail("empty user info");
  }
  const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(hostPort);
  const host = portMatch?.[1] ?? "";
  if (host === "" || /[\s/;?]/.test(host)) return fail("bad host");
  server.host = host;
  if (portMatch?.[2] !== undefined) {
    const port = Number(portMatch[2]);
    if (port > 65535) return fail("bad port");
    server.port = port;
  }
  return { ok: true, value: server };
}

/**
 * `mailbox[;UIDVALIDITY=n][/;UID=n[/;SECTION=s][/;PARTIAL=p]][;EXPIRE=…;URLAUTH=…]`. The mailbox
 * name may hold `/` (its hierarchy): it ends at the first `/;`.
 */
function parsePath(path: string): ImapUrlResult {
  if (path.includes("?")) return fail("search URLs are not supported");
  const [first = "", ...parts] = path.split("/;");
  const semi = first.indexOf(";");
  const mailboxText = semi < 0 ? first : first.slice(0, semi);
  if (mailboxText === "") return fail("no mailbox");
  const mailbox = decode(mailboxText);
  if (mailbox === null) return fail("bad mailbox encoding");
  const url: ImapUrl = { mailbox };
  if (semi >= 0) {
    const m = /^;uidvalidity=(.*)$/i.exec(first.slice(semi));
    if (!m) return fail("unknown mailbox parameter");
    const n = nzNumber(m[1] ?? "");
    if (n === null) return fail("bad UIDVALIDITY");
    url.uidValidity = n;
  }
  if (parts.length === 0) return { ok: true, url };
  return parseMessageParts(
    parts.map((part) => `;${part}`),
    url,
    "uid",
  );
}

function parseRelative(text: string, base: ImapUrl): ImapUrlResult {
  if (text.includes("?")) return fail("search URLs are not supported");
  const segments = text.split("/");
  const head = segments[0] ?? "";
  const inherited: ImapUrl = { server: base.server, mailbox: base.mailbox, uidValidity: base.uidValidity };
  let result: ImapUrlResult;
  if (/^;uid=/i.test(head)) result = parseMessageParts(segments, inherited, "uid");
  else if (base.uid === undefined) return fail("a part URL needs a base message");
  else if (/^;section=/i.test(head))
    result = parseMessageParts(segments, { ...inherited, uid: base.uid }, "section");
  else if (/^;partial=/i.test(head))
    result = parseMessageParts(segments, { ...inherited, uid: base.uid, section: base.section }, "partial");
  else return fail("not a relative IMAP URL");
  if (result.ok && result.url.access) return fail("URLAUTH needs an absolute URL");
  return result;
}

const ORDER = ["uid", "section", "partial"] as const;
type PartKey = (typeof ORDER)[number];

/**
 * The segments after the mailbox: `;UID=n`, `;SECTION=s`, `;PARTIAL=p`, each once and in that
 * order from `from`, the last possibly followed by `;EXPIRE=…;URLAUTH=…`.
 */
function parseMessageParts(segments: string[], url: ImapUrl, from: PartKey): ImapUrlResult {
  let next = ORDER.indexOf(from);
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i] ?? "";
    if (i === segments.length - 1) {
      const at = segment.search(/;(expire|urlauth)=/i);
      if (at > 0) {
        const applied = applyUrlAuth(url, segment.slice(at));
        if (!applied.ok) return applied;
        segment = segment.slice(0, at);
      }
    }
    const m = /^;(uid|section|partial)=(.*)$/i.exec(segment);
    if (!m) return fail("unknown URL part");
    const key = (m[1] ?? "").toLowerCase() as PartKey;
    const index = ORDER.indexOf(key);
    if (index < next || (i === 0 && index !== next)) return fail(`${key.toUpperCase()} out of place`);
    if (index > 0 && url.uid === undefined) return fail("no UID");
    next = index + 1;
    const applied = applyPart(url, key, m[2] ?? "");
    if (!applied.ok) return applied;
  }
  if (url.uid === undefined) return fail("no UID");
  return { ok: true, url };
}

function applyPart(url: ImapUrl, key: PartKey, value: string): Parsed<null> {
  if (key === "uid") {
    const uid = nzNumber(value);
    if (uid === null) return fail("bad UID");
    url.uid = uid;
  } else if (key === "section") {
    const section = decode(value)?.toUpperCase();
    if (!section || !SECTION.test(section)) return fail("bad SECTION");
    url.section = section;
  } else {
    const partial = parsePartial(value);
    if (!partial) return fail("bad PARTIAL");
    url.partial = partial;
  }
  return { ok: true, value: null };
}

/** `[;EXPIRE=date-time];URLAUTH=access` (the verifier was cut off before). */
function applyUrlAuth(url: ImapUrl, authPart: string): Parsed<null> {
  const m = /^(?:;expire=([^;]+))?;urlauth=(.+)$/i.exec(authPart);
  if (!m) return fail("bad URLAUTH");
  if (m[1] !== undefined) {
    const text = decode(m[1]);
    const when = text && DATE_TIME.test(text) ? new Date(text) : null;
    if (!when || Number.isNaN(when.getTime())) return fail("bad EXPIRE");
    url.expire = when;
  }
  const access = parseAccess(m[2] ?? "");
  if (!access) return fail("bad URLAUTH access");
  url.access = access;
  return { ok: true, value: null };
}

function parseAccess(text: string): UrlAccess | null {
  const lower = text.toLowerCase();
  if (lower === "authuser") return { kind: "authuser" };
  if (lower === "anonymous") return { kind: "anonymous" };
  const m = /^(submit|user)\+(.+)$/i.exec(text);
  if (!m) return null;
  const user = decode(m[2] ?? "");
  if (!user) return null;
  return (m[1] ?? "").toLowerCase() === "submit" ? { kind: "submit", user } : { kind: "user", user };
}

function parsePartial(text: string): ImapUrlPartial | null {
  const [offsetText, lengthText, extra] = text.split(".");
  if (extra !== undefined || !offsetText || !NUMBER.test(offsetText)) return null;
  const offset = Number(offsetText);
  if (offset > MAX) return null;
  if (lengthText === undefined) return { offset };
  const length = nzNumber(lengthText);
  return length === null ? null : { offset, length };
}

function nzNumber(text: string): number | null {
  if (!NZ_NUMBER.test(text)) return null;
  const n = Number(text);
  return n <= MAX ? n : null;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** achar (RFC 5092): unreserved, sub-delims but ";" "/" "?" "#", ":" "@". */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%(2[146-9ABC]|3D|3A|40)/g, (s) => decodeURIComponent(s));
}

/** bchar additionally allows "/" inside a mailbox name's hierarchy. */
function encodeMailbox(name: string): string {
  return name.split("/").map(encode).join("/");
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
