/**
 * REPORT sync-collection (RFC 6578 §3.2): with no token, every object; with a token this server
 * gave, the objects changed since and the names deleted since (404), and the new token.
 */
import { davChangesSince, davResources } from "../../../src/calendar/dav-resources.ts";
import { type DavContext, pathCalendar } from "../context.ts";
import { DavError } from "../errors.ts";
import { multistatus, propResponse, statusResponse } from "../multistatus.ts";
import { objectHref } from "../paths.ts";
import { propRequestOf } from "../prop-request.ts";
import { objectTarget } from "../properties.ts";
import { seqOfSyncToken, syncTokenOf } from "../sync-token.ts";
import { child, DAV, escapeXml, propName, type XmlElement } from "../xml.ts";

export async function syncCollection(ctx: DavContext, body: XmlElement): Promise<Response> {
  const calendar = pathCalendar(ctx);
  const level = child(body, DAV, "sync-level")?.text.trim();
  if (level !== undefined && level !== "1")
    throw new DavError(
      403,
      "only sync-level 1 is supported (a calendar has no sub-collections)",
      propName(DAV, "sync-traversal-supported"),
    );
  const tokenText = child(body, DAV, "sync-token")?.text.trim() ?? "";
  const current = calendar.row.davSeq;
  const since = tokenText === "" ? null : seqOfSyncToken(tokenText);
  if (tokenText !== "" && (since === null || since > current))
    throw new DavError(
      403,
      "the sync-token is not one this calendar gave",
      propName(DAV, "valid-sync-token"),
    );
  const request = propRequestOf(body);
  const { grantId } = ctx.account;
  const calendarId = calendar.row.id;
  const changes = since === null ? null : davChangesSince(ctx.deps.store.read, grantId, calendarId, since);
  const resources = davResources(ctx.deps.store.read, grantId, calendarId, changes?.changed);
  const live = new Set(resources.map((r) => r.name));
  const responses = [
    ...resources.map((r) => propResponse(objectTarget(ctx.account, calendarId, r), request)),
    ...(changes?.deleted ?? [])
      .filter((name) => !live.has(name))
      .map((name) => statusResponse(objectHref(ctx.account.email, calendarId, name), 404)),
  ];
  return multistatus(responses, `<D:sync-token>${escapeXml(syncTokenOf(current))}</D:sync-token>`);
}
