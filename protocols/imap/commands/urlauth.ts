/**
 * URLAUTH (RFC 4467): GENURLAUTH signs IMAP URLs of the session's own mail with a mailbox's secret
 * key, URLFETCH hands out what a signed URL designates to whoever its access identifier admits,
 * RESETKEY replaces keys (every URL they signed stops working).
 */
import { MailboxError } from "../../../src/domain/errors.ts";
import { readUrlKey } from "../../../src/mailbox/url-keys.ts";
import { type Args, BadArgs } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { fail, ok } from "../completion.ts";
import { quoted } from "../encode.ts";
import { type ImapUrl, parseImapUrl } from "../imap-url.ts";
import { URLAUTH_MECHANISM, urlAuthToken, urlAuthTokenMatches } from "../url-auth.ts";
import { urlBytes, urlMailbox, urlOwner } from "../url-target.ts";

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
    const urls = readUrls(args);
    for (const text of urls) {
      const bytes = fetchable(session, text);
      if (bytes === null) {
        session.send(`* URLFETCH ${quoted(text)} NIL`);
        continue;
      }
      session.io.write(`* URLFETCH ${quoted(text)} {${bytes.length}}\r\n`);
      session.io.write(bytes);
      session.io.write("\r\n");
      await session.io.drained();
    }
    return ok("URLFETCH completed");
  },
};

function readUrls(args: Args): string[] {
  const urls: string[] = [];
  do {
    if (args.peek()?.kind === "list")
      throw new BadArgs("URLFETCH parameters (URLAUTH=BINARY) are not supported");
    urls.push(args.astring("URL"));
  } while (args.remaining > 0);
  return urls;
}

/**
 * What a URLAUTH URL designates, when this session may have it (RFC 4467 §3, §6.2): a valid
 * verifier under the mailbox's current key, not expired, and an access identifier that admits the
 * session. Anything else is NIL, whatever the reason.
 */
function fetchable(session: CommandSession, text: string): Uint8Array | null {
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
  return urlBytes(session, owner, entry.folder.id, url);
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
