/**
 * What an IMAP URL (RFC 5092) designates in this server: the account its user names, the mailbox,
 * the message and the section's bytes. Another application's account is never found (strict
 * isolation): it is the same "no such thing" as an account that does not exist.
 */
import { findGrantByEmail } from "../../src/accounts/grants.ts";
import type { MimeNode } from "../../src/mail/mime-tree.ts";
import { fetchSection, partial } from "../../src/mail/sections.ts";
import { imapFolders } from "../../src/mailbox/imap-folders.ts";
import { fetchRows } from "../../src/mailbox/imap-messages.ts";
import { rawMessage } from "../../src/mailbox/messages.ts";
import type { CommandSession } from "./command-session.ts";
import type { ImapUrl } from "./imap-url.ts";
import { type MailboxEntry, MailboxTree } from "./mailbox-names.ts";

export interface UrlOwner {
  grantId: string;
  email: string;
}

/**
 * The account a URL's `user@host` names (or the session's own, when the URL names no user), if it
 * is one of the session's application's accounts.
 */
export function urlOwner(session: CommandSession, url: ImapUrl): UrlOwner | null {
  const user = url.server?.user;
  if (user === undefined) return { grantId: session.grantId, email: session.email };
  const email = user.includes("@") ? user : `${user}@${url.server?.host ?? ""}`;
  if (email.toLowerCase() === session.email.toLowerCase())
    return { grantId: session.grantId, email: session.email };
  const mine = findGrantByEmail(session.ctx.store, session.email);
  const theirs = findGrantByEmail(session.ctx.store, email);
  if (!mine || !theirs || theirs.applicationId !== mine.applicationId) return null;
  return { grantId: theirs.id, email: theirs.email };
}

/** The URL's mailbox in the owner's account, when it exists and its UIDVALIDITY (if given) holds. */
export function urlMailbox(session: CommandSession, owner: UrlOwner, url: ImapUrl): MailboxEntry | null {
  if (url.mailbox === undefined) return null;
  const tree =
    owner.grantId === session.grantId
      ? session.mailboxTree()
      : new MailboxTree(imapFolders(session.ctx.store, owner.grantId));
  const entry = tree.find(url.mailbox);
  if (!entry) return null;
  if (url.uidValidity !== undefined && url.uidValidity !== entry.folder.uidValidity) return null;
  return entry;
}

/** The message a URL's UID designates: its bytes and MIME tree, or null when there is none. */
export interface UrlMessage {
  raw: Buffer;
  tree: MimeNode | null;
}

export function urlMessage(
  session: CommandSession,
  owner: UrlOwner,
  folderId: string,
  url: ImapUrl,
): UrlMessage | null {
  if (url.uid === undefined) return null;
  const [row] = fetchRows(session.ctx.store, owner.grantId, folderId, url.uid, url.uid, { tree: true });
  if (!row) return null;
  const raw = rawMessage(session.ctx.store, row.blobHash);
  if (!raw) return null;
  return { raw, tree: row.treeJson ? (JSON.parse(row.treeJson) as MimeNode) : null };
}

/** The bytes the URL's SECTION and PARTIAL designate in the message, as BODY[…] serves them. */
export function urlBytes(message: UrlMessage, url: ImapUrl): Uint8Array | null {
  let bytes: Uint8Array | null = message.raw;
  if (url.section !== undefined)
    bytes = message.tree ? fetchSection(message.raw, message.tree, url.section) : null;
  if (bytes && url.partial) bytes = partial(bytes, url.partial.offset, url.partial.length);
  return bytes;
}
