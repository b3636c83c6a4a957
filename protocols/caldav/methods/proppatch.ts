/**
 * PROPPATCH (RFC 4918 §9.2) of a calendar: displayname, calendar-description, calendar-color and
 * the calendar's time zone; all or nothing (one refused property fails the others with 424).
 */

import { calendarEditOf } from "../calendar-edit.ts";
import { bodyXml, type DavContext, pathCalendar } from "../context.ts";
import { DavError } from "../errors.ts";
import { multistatus } from "../multistatus.ts";
import { calendarHref } from "../paths.ts";
import { childrenNamed, DAV, element, escapeXml, nameOf } from "../xml.ts";

export async function proppatchMethod(ctx: DavContext): Promise<Response> {
  if (ctx.path.kind !== "calendar") throw new DavError(403, "only a calendar's properties can be changed");
  const calendar = pathCalendar(ctx);
  const body = await bodyXml(ctx);
  if (!body || body.ns !== DAV || body.name !== "propertyupdate")
    throw new DavError(400, "the body must be a DAV:propertyupdate");
  const set = childrenNamed(body, DAV, "set").flatMap((s) =>
    childrenNamed(s, DAV, "prop").flatMap((p) => p.children),
  );
  const removed = childrenNamed(body, DAV, "remove").flatMap((s) =>
    childrenNamed(s, DAV, "prop").flatMap((p) => p.children),
  );
  const { edit, refused } = calendarEditOf([...set, ...removed.map((r) => ({ ...r, text: "" }))]);
  const all = [...set, ...removed].map(nameOf);
  const href = calendarHref(ctx.account.email, calendar.row.id);
  const status = (names: string[], code: number, reason: string) =>
    names.length === 0
      ? ""
      : `<D:propstat><D:prop>${names.map((n) => element(n as ReturnType<typeof nameOf>)).join("")}</D:prop><D:status>HTTP/1.1 ${code} ${reason}</D:status></D:propstat>`;
  if (refused.length > 0) {
    const others = all.filter((n) => !refused.includes(n));
    return multistatus([
      `<D:response><D:href>${escapeXml(href)}</D:href>${status(refused, 403, "Forbidden")}${status(others, 424, "Failed Dependency")}</D:response>`,
    ]);
  }
  if (Object.keys(edit).length > 0)
    await ctx.deps.mailboxes.ask(ctx.account.grantId, "updateCalendar", {
      calendarId: calendar.row.id,
      ...edit,
    });
  return multistatus([
    `<D:response><D:href>${escapeXml(href)}</D:href>${status(all, 200, "OK")}</D:response>`,
  ]);
}
