import type { Server } from "bun";
import { newUuid } from "../ids.ts";
import type { Metrics } from "../metrics.ts";
import { createApiApp } from "./app.ts";
import type { Authenticator } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { errorResponse, setRequestId } from "./http.ts";

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
      const request = normalize(incoming);
      setRequestId(request, newUuid());
      const url = new URL(request.url);
      let response: Response;
      try {
        response = await route(request, url, server.requestIP(incoming)?.address ?? "unknown");
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
          path: url.pathname,
          status: response.status,
          ms,
          requestId: response.headers.get("x-request-id"),
        },
        "http",
      );
      return response;
    },
  });

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
    if (url.pathname.startsWith("/v3/")) await deps.auth.authenticate(request, url, ip);
    return app.handle(request);
  }
}

/** The SDK builds `${apiUri}${path}`: a trailing slash in apiUri gives `//v3/...`. */
function normalize(request: Request): Request {
  const url = new URL(request.url);
  if (!url.pathname.includes("//")) return request;
  url.pathname = url.pathname.replace(/\/{2,}/g, "/");
  return new Request(url.toString(), request);
}
