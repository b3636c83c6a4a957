import { badRequest } from "./errors.ts";

/**
 * Bun resolves dot segments before a handler sees a request: `…/folders/..`, `%2e%2e`, `.%2e`
 * and `…/folders/.` all arrive as `…/<grant>/` or `…/folders/`, so the raw path cannot be routed
 * on. Resolving a dot segment at the end of a path always leaves a trailing slash (and an empty id
 * does too), so a /v3 path ending in `/` names no resource: it is refused rather than routed to
 * the parent (`DELETE /v3/grants/{id}/folders/..` would otherwise delete the account).
 * Dot segments inside a path only lead to a path a client could have written itself.
 */
export function refuseResolvedIds(pathname: string): void {
  if (pathname.startsWith("/v3/") && pathname.endsWith("/")) {
    throw badRequest(
      `the path ${pathname} ends in '/': an id in the path was empty, '.' or '..', which are not ids`,
    );
  }
}

/** `.` and `..` are never ids, however a path parameter reached a route. */
export function isDotSegment(value: string): boolean {
  return value === "." || value === "..";
}
