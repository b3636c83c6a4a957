/**
 * URLAUTH (RFC 4467): GENURLAUTH signs IMAP URLs of the session's own mail with a mailbox's secret
 * key, URLFETCH hands out what a signed URL designates to whoever its access identifier admits,
 * RESETKEY replaces keys (every URL they signed stops working).
 */
import { MailboxError } from "../../../src/domain/errors.ts";
import {
  type BinarySection,
  binarySection,
  UnknownTransferEncoding,
} from "../../../src/mail/binary-sections.ts";
import { binaryBodyStructure } from "../../../src/mail/binary-structure.ts";
import { buildBodyStructure, encodeBodyStructure } from "../../../src/mail/bodystructure.ts";
import type { MimeNode } from "../../../src/mail/mime-tree.ts";
import { findPart } from "../../../src/mail/parts.ts";
import { parseSectionSpec, partial, type SectionSpec } from "../../../src/mail/sections.ts";
import { readUrlKey } from "../../../src/mailbox/url-keys.ts";
import { type Args, astringText, BadArgs } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { fail, ok } from "../completion.ts";
import { quoted } from "../encode.ts";
import { type ImapUrl, parseImapUrl } from "../imap-url.ts";
import { URLAUTH_MECHANISM, urlAuthToken, urlAuthTokenMatches } from "../url-auth.ts";
import { type UrlMessage, urlBytes, urlMailbox, urlMessage, urlOwner } from "../url-target.ts";

export const genurlauth: ImapCommand = {
  name: "GENURLAUTH",
  states: AUTHENTICATED,
  async handle(session, args) {
    const requests: { url: ImapUrl; text: string }[] = [];
    do {
      const text = args.astring("URL");
      const mechanism = args.atom("mechanism");
      if (mechanism.toUpperCase() !== URLAUTH_MECHANISM) fail(`unsupported URLAUTH mechanism ${mechanism}`);
      requests.push({ url: signable(session, text), text });
    } while (args.remaining > 0);
    const signed: string[] = [];
    for (const { url } of requests) signed.push(await sign(session, url));
    session.send(`* GENURLAUTH ${signed.map(quoted).join(" ")}`);
    return ok("GENURLAUTH completed");
  },
};

/** A URL GENURLAUTH may sign: absolute, with an access identifier and no verifier, of our own mail. */
function signable(session: CommandSession, text: string): ImapUrl {
  const parsed = parseImapUrl(text);
  if (!parsed.ok) fail(`invalid URL: ${parsed.reason}`);
  const url = parsed.url;
  if (!url.access || url.rump === undefined) fail("invalid URL: no URLAUTH access identifier");
  if (url.token !== undefined) fail("invalid URL: it already has a verifier");
  if (url.uid === undefined) fail("invalid URL: no UID");
  if (url.server?.user === undefined) fail("invalid URL: no user");
  const owner = urlOwner(session, url);
  if (owner?.grantId !== session.grantId) fail("invalid URL: not this user's mail");
  if (!urlMailbox(session, owner, url)) fail("invalid URL: no such mailbox");
  return url;
}

async function sign(session: CommandSession, url: ImapUrl): Promise<string> {
  const entry = urlMailbox(session, { grantId: session.grantId, email: session.email }, url);
  if (!entry || url.rump === undefined) fail("invalid URL: no such mailbox");
  const key = await session.ctx.mailboxes.ask(session.grantId, "urlKey", { folderId: entry.folder.id });
  return `${url.rump}:${URLAUTH_MECHANISM}:${urlAuthToken(key, url.rump)}`;
}

export const urlfetch: ImapCommand = {
  name: "URLFETCH",
  states: AUTHENTICATED,
  async handle(session, args) {
    const requests = readUrls(args);
    for (const request of requests) {
      const found = fetchable(session, request.url);
      const answer = found ? render(found, request.params) : null;
      if (answer === null) {
        session.send(`* URLFETCH ${quoted(request.url)} NIL`);
        continue;
      }
      session.io.write(`* URLFETCH ${quoted(request.url)} `);
      for (const chunk of answer) session.io.write(chunk);
      session.io.write("\r\n");
      await session.io.drained();
    }
    return ok("URLFETCH completed");
  },
};

type FetchParam = "BODY" | "BINARY" | "BODYPARTSTRUCTURE";
const FETCH_PARAMS = new Set<string>(["BODY", "BINARY", "BODYPARTSTRUCTURE"]);

/** A URL alone, or (URLAUTH=BINARY, RFC 5524) `(url BODY|BINARY|BODYPARTSTRUCTURE…)`. */
interface UrlRequest {
  url: string;
  params: Set<FetchParam> | null;
}

function readUrls(args: Args): UrlRequest[] {
  const requests: UrlRequest[] = [];
  do {
    const list = args.takeList();
    if (!list) {
      requests.push({ url: args.astring("URL"), params: null });
      continue;
    }
    const [first, ...rest] = list;
    if (!first) throw new BadArgs("missing URL");
    const params = new Set<FetchParam>();
    for (const t of rest) {
      const name = t.kind === "atom" ? t.value.toUpperCase() : "";
      if (!FETCH_PARAMS.has(name)) throw new BadArgs("unknown URLFETCH parameter");
      params.add(name as FetchParam);
    }
    requests.push({ url: astringText(first, "URL"), params });
  } while (args.remaining > 0);
  return requests;
}

interface Fetchable {
  url: ImapUrl;
  message: UrlMessage;
}

/**
 * What a URLAUTH URL designates, when this session may have it (RFC 4467 §3, §6.2): a valid
 * verifier under the mailbox's current key, not expired, and an access identifier that admits the
 * session. Anything else is NIL, whatever the reason.
 */
function fetchable(session: CommandSession, text: string): Fetchable | null {
  const parsed = parseImapUrl(text);
  if (!parsed.ok) return null;
  const url = parsed.url;
  if (!url.access || url.rump === undefined || url.token === undefined) return null;
  if (url.mechanism !== URLAUTH_MECHANISM) return null;
  if (url.expire && url.expire.getTime() <= Date.now()) return null;
  if (!admits(session, url)) return null;
  const owner = urlOwner(session, url);
  if (!owner) return null;
  const entry = urlMailbox(session, owner, url);
  if (!entry) return null;
  const key = readUrlKey(session.ctx.store, owner.grantId, entry.folder.id);
  if (!key || !urlAuthTokenMatches(key, url.rump, url.token)) return null;
  const message = urlMessage(session, owner, entry.folder.id, url);
  return message && { url, message };
}

/**
 * The answer after the URL: the section's bytes as a literal, or with parameters (RFC 5524) a
 * list of BODYPARTSTRUCTURE, BODY and BINARY (decoded, a literal8 when Dovecot sends one). Null
 * (NIL) when the section names nothing, or BODYPARTSTRUCTURE is asked of a section that is no part.
 */
function render({ url, message }: Fetchable, params: Set<FetchParam> | null): (string | Uint8Array)[] | null {
  const body = urlBytes(message, url);
  if (!params) return body && [`{${body.length}}\r\n`, body];
  const spec = url.section === undefined ? WHOLE : parseSectionSpec(url.section);
  if (!spec || !message.tree) return null;
  const items: (string | Uint8Array)[] = [];
  if (params.has("BODYPARTSTRUCTURE")) {
    const part = spec.text === "" ? findPart(message.tree, spec.part) : null;
    if (!part) return null;
    const structure =
      params.has("BINARY") && !binaryFails(message, part)
        ? binaryBodyStructure(message.raw, part)
        : buildBodyStructure(part);
    items.push(`BODYPARTSTRUCTURE ${encodeBodyStructure(structure, true)}`);
  }
  if (params.has("BODY")) {
    if (!body) return null;
    items.push(`BODY {${body.length}}\r\n`, body);
  }
  if (params.has("BINARY")) items.push(...binaryItem(message, spec, url));
  const out: (string | Uint8Array)[] = ["("];
  items.forEach((item, i) => {
    if (i > 0 && typeof item === "string" && !item.startsWith("{")) out.push(" ");
    out.push(item);
  });
  out.push(")");
  return out;
}

/** A part BINARY cannot decode (an unknown encoding inside): its structure is the stored one. */
function binaryFails(message: UrlMessage, part: MimeNode): boolean {
  try {
    binarySection(message.raw, part, { part: "", text: "TEXT", fields: [] });
    return false;
  } catch (err) {
    if (err instanceof UnknownTransferEncoding) return true;
    throw err;
  }
}

const WHOLE: SectionSpec = { part: "", text: "", fields: [] };

function binaryItem(message: UrlMessage, spec: SectionSpec, url: ImapUrl): (string | Uint8Array)[] {
  let section: BinarySection | null;
  try {
    section = message.tree ? binarySection(message.raw, message.tree, spec) : null;
  } catch (err) {
    if (err instanceof UnknownTransferEncoding) return ["BINARY NIL"];
    throw err;
  }
  let bytes = section?.bytes ?? Buffer.alloc(0);
  if (url.partial) bytes = partial(bytes, url.partial.offset, url.partial.length);
  return [`BINARY ${section?.literal8 ? "~" : ""}{${bytes.length}}\r\n`, bytes];
}

/**
 * `anonymous` and `authuser` admit any logged-in session, `user+name` only that user. `submit+`
 * is for a submission server acting for that user (BURL), which IMAP sessions never are.
 */
function admits(session: CommandSession, url: ImapUrl): boolean {
  const access = url.access;
  if (!access) return false;
  if (access.kind === "anonymous" || access.kind === "authuser") return true;
  if (access.kind === "submit") return false;
  const user = access.user.toLowerCase();
  const email = session.email.toLowerCase();
  return user === email || `${user}@${url.server?.host?.toLowerCase() ?? ""}` === email;
}

export const resetkey: ImapCommand = {
  name: "RESETKEY",
  states: AUTHENTICATED,
  async handle(session, args) {
    if (args.remaining === 0) {
      await session.ctx.mailboxes.ask(session.grantId, "resetUrlKeys", {});
      return ok("RESETKEY completed");
    }
    const entry = session.findMailbox(args.mailbox());
    while (args.remaining > 0) {
      const mechanism = args.atom("mechanism");
      if (mechanism.toUpperCase() !== URLAUTH_MECHANISM) fail(`unsupported URLAUTH mechanism ${mechanism}`);
    }
    try {
      await session.ctx.mailboxes.ask(session.grantId, "resetUrlKeys", { folderId: entry.folder.id });
    } catch (err) {
      if (err instanceof MailboxError && err.code === "not_found")
        fail("mailbox does not exist", "NONEXISTENT");
      throw err;
    }
    return ok("RESETKEY completed");
  },
};
