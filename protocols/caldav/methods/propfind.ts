/** PROPFIND (RFC 4918 §9.1) at Depth 0 or 1; Depth infinity is refused (propfind-finite-depth). */
import { bodyXml, type DavContext } from "../context.ts";
import { DavError } from "../errors.ts";
import { multistatus, propResponse } from "../multistatus.ts";
import { propRequestOf } from "../prop-request.ts";
import { targetsOf } from "../targets.ts";
import { DAV, propName } from "../xml.ts";

export async function propfindMethod(ctx: DavContext): Promise<Response> {
  const depthHeader = (ctx.request.headers.get("depth") ?? "0").trim().toLowerCase();
  if (depthHeader !== "0" && depthHeader !== "1")
    throw new DavError(403, "Depth must be 0 or 1", propName(DAV, "propfind-finite-depth"));
  const body = await bodyXml(ctx);
  if (body && (body.ns !== DAV || body.name !== "propfind"))
    throw new DavError(400, "the body must be a DAV:propfind");
  const request = propRequestOf(body);
  const targets = targetsOf(ctx, depthHeader === "1" ? 1 : 0);
  return multistatus(targets.map((t) => propResponse(t, request)));
}
