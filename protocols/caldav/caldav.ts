/**
 * CalDAV (RFC 4791, with RFC 6578 sync-collection) on the API port: `/.well-known/caldav`
 * (RFC 6764) leads to `/dav/`, where an account sees its principal, its calendar home and its
 * calendars. Every request is authenticated with HTTP Basic; every change goes through the
 * account's actor. One module per method (methods/).
 */
import { MailboxError } from "../../src/domain/errors.ts";
import { authenticate } from "./auth.ts";
import type { CalDavDeps, DavContext } from "./context.ts";
import { DavError, errorResponse } from "./errors.ts";
import { deleteMethod } from "./methods/delete.ts";
import { getMethod } from "./methods/get.ts";
import { mkcalendarMethod } from "./methods/mkcalendar.ts";
import { ALLOW, optionsResponse } from "./methods/options.ts";
import { propfindMethod } from "./methods/propfind.ts";
import { proppatchMethod } from "./methods/proppatch.ts";
import { putMethod } from "./methods/put.ts";
import { reportMethod } from "./methods/report.ts";
import { isDavPath, parseDavPath, ROOT, WELL_KNOWN } from "./paths.ts";

type Method = (ctx: DavContext) => Promise<Response>;

const METHODS: Record<string, Method> = {
  PROPFIND: propfindMethod,
  PROPPATCH: proppatchMethod,
  REPORT: reportMethod,
  GET: getMethod,
  HEAD: getMethod,
  PUT: putMethod,
  DELETE: deleteMethod,
  MKCALENDAR: mkcalendarMethod,
};

export class CalDav {
  constructor(private readonly deps: CalDavDeps) {}

  static handles(pathname: string): boolean {
    return isDavPath(pathname);
  }

  async handle(request: Request, url: URL, address: string): Promise<Response> {
    try {
      if (url.pathname.startsWith(WELL_KNOWN))
        return new Response(null, { status: 301, headers: { location: ROOT } });
      if (request.method === "OPTIONS") return optionsResponse();
      const method = METHODS[request.method];
      if (!method)
        throw new DavError(405, `${request.method} is not supported here`, undefined, { allow: ALLOW });
      const account = await authenticate(this.deps.logins, request, address, this.deps.log);
      const path = parseDavPath(url.pathname);
      if (!path) throw new DavError(404, `${url.pathname} not found`);
      return await method({ deps: this.deps, account, request, url, path });
    } catch (err) {
      return errorResponse(this.davError(err));
    }
  }

  private davError(err: unknown): DavError {
    if (err instanceof DavError) return err;
    if (err instanceof MailboxError) {
      const status = { not_found: 404, invalid: 400, conflict: 409, over_quota: 507, too_big: 413 }[
        err.code as string
      ];
      if (status) return new DavError(status, err.message);
      return new DavError(503, err.message, undefined, { "retry-after": String(err.retryAfterS ?? 5) });
    }
    this.deps.log.error({ err }, "caldav request failed");
    return new DavError(500, "internal error");
  }
}
