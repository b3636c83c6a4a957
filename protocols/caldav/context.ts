/** What a CalDAV method is given: the account, the path it names, and the request's body. */
import type { Mailboxes } from "../../actors/mailboxes.ts";
import type { LoggedInAccount, PasswordLogins } from "../../src/accounts/password-login.ts";
import { type CalendarView, findCalendar } from "../../src/calendar/calendars.ts";
import type { Logger } from "../../src/log.ts";
import type { Store } from "../../src/store/store.ts";
import { DavError, forbidden, notFound } from "./errors.ts";
import type { DavPath } from "./paths.ts";
import { DAV, parseXml, propName, type XmlElement, XmlError } from "./xml.ts";

export interface CalDavDeps {
  store: Store;
  mailboxes: Mailboxes;
  logins: PasswordLogins;
  log: Logger;
}

export interface DavContext {
  deps: CalDavDeps;
  account: LoggedInAccount;
  request: Request;
  url: URL;
  path: DavPath;
}

/** The path's account must be the one logged in: another account's resources are forbidden. */
export function requireOwn(ctx: DavContext): void {
  const path = ctx.path;
  if (path.kind === "root") return;
  if (path.email.toLowerCase() !== ctx.account.email.toLowerCase())
    throw forbidden("another account's calendars are not yours to reach", propName(DAV, "need-privileges"));
}

/** The calendar a calendar or object path names (the account's own), or a 404. */
export function pathCalendar(ctx: DavContext): CalendarView {
  requireOwn(ctx);
  if (ctx.path.kind !== "calendar" && ctx.path.kind !== "object") throw notFound("calendar");
  const calendar = findCalendar(ctx.deps.store.read, ctx.account.grantId, ctx.path.calendarId);
  if (!calendar || calendar.row.id !== ctx.path.calendarId) throw notFound(`calendar ${ctx.path.calendarId}`);
  return calendar;
}

/** The body as text, refused past `limit` bytes (413, with `precondition` when one applies). */
export async function bodyText(ctx: DavContext, limit: number, precondition?: ReturnType<typeof propName>) {
  const tooLarge = () => new DavError(413, `the body is over ${limit} bytes`, precondition);
  const declared = Number(ctx.request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  const bytes = await readUpTo(ctx.request, limit, tooLarge);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DavError(400, "the body is not UTF-8");
  }
}

const XML_LIMIT = 1024 * 1024;

/** The body's XML document element, or null for an empty body. */
export async function bodyXml(ctx: DavContext): Promise<XmlElement | null> {
  const text = await bodyText(ctx, XML_LIMIT);
  if (text.trim() === "") return null;
  try {
    return parseXml(text);
  } catch (e) {
    throw new DavError(400, e instanceof XmlError ? e.message : "malformed XML");
  }
}

/** The body's bytes, read as they stream in and refused as soon as they pass `limit` (chunked too). */
async function readUpTo(request: Request, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
