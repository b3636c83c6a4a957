/** The query of the calendar and event routes: the calendar named, list filters, offset cursors. */
import type { EventFilter } from "../calendar/events.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { badRequest } from "./errors.ts";
import { boolParam, filterQuery, listParam, secondsParam } from "./message-query.ts";
import { queryInt } from "./validate.ts";

/** `calendar_id`, required on every events call (`primary` or the account's address allowed). */
export function calendarIdParam(q: URLSearchParams): string {
  const id = q.get("calendar_id");
  if (!id) throw badRequest("query parameter calendar_id is required (a calendar id, or primary)");
  return id;
}

export function parseEventFilter(q: URLSearchParams): EventFilter {
  const pair = q.get("metadata_pair");
  let metadataPair: [string, string] | undefined;
  if (pair) {
    const colon = pair.indexOf(":");
    if (colon <= 0) throw badRequest("query parameter metadata_pair must be key:value");
    metadataPair = [pair.slice(0, colon), pair.slice(colon + 1)];
  }
  const filter: EventFilter = {
    start: secondsParam(q, "start"),
    end: secondsParam(q, "end"),
    title: q.get("title") ?? undefined,
    description: q.get("description") ?? undefined,
    location: q.get("location") ?? undefined,
    icalUid: q.get("ical_uid") ?? undefined,
    masterEventId: q.get("master_event_id") ?? undefined,
    busy: boolParam(q, "busy"),
    showCancelled: boolParam(q, "show_cancelled") ?? false,
    expandRecurring: boolParam(q, "expand_recurring") ?? true,
    attendees: listParam(q, "attendees"),
    metadataPair,
    updatedBefore: secondsParam(q, "updated_before"),
    updatedAfter: secondsParam(q, "updated_after"),
  };
  if (filter.start !== undefined && filter.end !== undefined && filter.end < filter.start)
    throw badRequest("query parameter end must not be before start");
  return filter;
}

/**
 * One page of an ordered list: `page_token` carries the offset and the filters it was issued
 * for (a token replayed with other filters is refused).
 */
export function pageOf<T>(q: URLSearchParams, items: readonly T[], maxLimit = 200) {
  const limit = queryInt(q, "limit", 50, 1, maxLimit);
  const filters = filterQuery(q);
  const cursor = decodeCursor(q.get("page_token"), { o: "number", q: "string" });
  if (cursor && cursor.q !== filters) throw badRequest("page_token was issued for other filters");
  const offset = cursor?.o ?? 0;
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? encodeCursor({ o: offset + limit, q: filters }) : null;
  return { page, next };
}
