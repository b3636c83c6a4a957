/** DELETE of a calendar object resource (If-Match honoured) or of a calendar other than the primary. */
import { type DavContext, pathCalendar } from "../context.ts";
import { DavError, forbidden } from "../errors.ts";

export async function deleteMethod(ctx: DavContext): Promise<Response> {
  const { path, account, deps } = ctx;
  const calendar = pathCalendar(ctx);
  if (path.kind === "calendar") {
    if (calendar.row.isPrimary) throw forbidden("the primary calendar cannot be deleted");
    await deps.mailboxes.ask(account.grantId, "deleteCalendar", { calendarId: calendar.row.id });
    return new Response(null, { status: 204 });
  }
  if (path.kind !== "object") throw new DavError(405, "DELETE removes a calendar or a calendar object");
  const ifMatch = ctx.request.headers.get("if-match")?.trim();
  const reply = await deps.mailboxes.ask(account.grantId, "deleteCalendarObject", {
    calendarId: calendar.row.id,
    name: path.name,
    ...(ifMatch && ifMatch !== "*" && { expectedEtag: ifMatch }),
  });
  if (reply.outcome === "precondition_failed")
    throw new DavError(412, "the resource's ETag is not the one given (If-Match)");
  return new Response(null, { status: 204 });
}
