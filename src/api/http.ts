import type { ApiError } from "./errors.ts";

/** Every request gets an id: echoed in `x-request-id` and in every JSON body as `request_id`. */
const requestIds = new WeakMap<Request, string>();

export function setRequestId(request: Request, id: string): void {
  requestIds.set(request, id);
}

export function requestIdOf(request: Request): string {
  return requestIds.get(request) ?? "";
}

export function json(request: Request, status: number, body: Record<string, unknown>): Response {
  const id = requestIdOf(request);
  return new Response(JSON.stringify({ request_id: id, ...body }), {
    status,
    headers: { "content-type": "application/json", "x-request-id": id },
  });
}

/** `{request_id, data}`: a single object. */
export const single = (request: Request, data: unknown, status = 200) => json(request, status, { data });

/** `{request_id, data, next_cursor}`: a cursor-paged list. */
export const cursorList = (request: Request, data: unknown[], nextCursor: string | null) =>
  json(request, 200, { data, next_cursor: nextCursor });

/** `{request_id}`: the body of a DELETE (the SDK cannot parse an empty body, so never 204). */
export const deleted = (request: Request) => json(request, 200, {});

export function errorResponse(request: Request, error: ApiError): Response {
  const response = json(request, error.status, { error: { type: error.type, message: error.message } });
  for (const [k, v] of Object.entries(error.headers)) response.headers.set(k, v);
  return response;
}
