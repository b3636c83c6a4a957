import type { Server } from "bun";
import { newUuid } from "../ids.ts";
import type { Metrics } from "../metrics.ts";
import { createApiApp } from "./app.ts";
import type { Authenticator } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { errorResponse, setRequestId } from "./http.ts";
import { refuseResolvedIds } from "./path.ts";

const JSON_BODY_LIMIT = 1024 * 1024;
/** Routes that carry whole messages (base64 in JSON, or multipart) get room for the message limit. */
const MESSAGE_ROUTES = /\/(messages\/send|drafts)(\/|$)/;

export interface HttpDeps extends ApiDeps {
  auth: Authenticator;
  metrics: Metrics;
  isReady: () => boolean;
}

/**
 * Bun.serve in front of Elysia: assigns request ids, enforces body limits, authenticates /v3,
 * answers /healthz and /metrics, and logs one line per request.
 */
export function startHttp(deps: HttpDeps, port: number, hostname: string): Server<undefined> {
  const app = createApiApp(deps);
  const messageLimit = Math.ceil(deps.config.limits.maxMessageBytes * 1.4) + JSON_BODY_LIMIT;
  return Bun.serve({
    port,
    hostname,
    // Long-polls and event streams hold requests open; Bun's default would cut them at 10 s.
    idleTimeout: 255,
    maxRequestBodySize: messageLimit,
    fetch: async (incoming, server) => {
      const started = performance.now();
      const id = newUuid();
      setRequestId(incoming, id);
      let request = incoming;
      let response: Response;
      try {
        request = await prepare(incoming, limitFor);
        setRequestId(request, id);
        response = await route(
          request,
          new URL(request.url),
          server.requestIP(incoming)?.address ?? "unknown",
        );
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError(500, "internal error");
        if (!(err instanceof ApiError)) deps.log.error({ err }, "request failed");
        response = errorResponse(request, error);
      }
      const ms = Math.round((performance.now() - started) * 10) / 10;
      deps.metrics.inc("agentbox_http_requests_total", "HTTP requests by status", {
        status: String(response.status),
      });
      deps.log.info(
        {
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          ms,
          requestId: id,
        },
        "http",
      );
      return response;
    },
  });

  function limitFor(pathname: string): number {
    return MESSAGE_ROUTES.test(pathname) ? messageLimit : JSON_BODY_LIMIT;
  }

  async function route(request: Request, url: URL, ip: string): Promise<Response> {
    if (url.pathname === "/healthz") {
      const ready = deps.isReady();
      return Response.json({ status: ready ? "ok" : "starting" }, { status: ready ? 200 : 503 });
    }
    if (url.pathname === "/metrics") {
      return new Response(deps.metrics.render(), {
        headers: { "content-type": "text/plain; version=0.0.4" },
      });
    }
    const limit = MESSAGE_ROUTES.test(url.pathname) ? messageLimit : JSON_BODY_LIMIT;
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > limit) {
      throw new ApiError(
        413,
        `request body is ${length} bytes; the limit for this endpoint is ${limit} bytes`,
      );
    }
    refuseResolvedIds(url.pathname);
    if (url.pathname.startsWith("/v3/")) await deps.auth.authenticate(request, url, ip);
    return app.handle(request);
  }
}

/**
 * Collapses `//` in the path (the SDK builds `${apiUri}${path}`, so a trailing slash in apiUri
 * gives `//v3/...`) and enforces the body limit: by Content-Length up front, or, for a chunked
 * body, by counting bytes while reading it (then the buffered body is handed on).
 */
async function prepare(request: Request, limitFor: (pathname: string) => number): Promise<Request> {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/\/{2,}/g, "/");
  const limit = limitFor(url.pathname);
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(Number(declared), limit);
  if (declared === null && request.body) {
    const body = await readCapped(request.body, limit);
    return new Request(url.toString(), { method: request.method, headers: request.headers, body });
  }
  return url.toString() === request.url ? request : new Request(url.toString(), request);
}

async function readCapped(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(total, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(size: number, limit: number): ApiError {
  return new ApiError(
    413,
    `request body is over ${limit} bytes (at least ${size}); the limit for this endpoint is ${limit} bytes`,
  );
}
