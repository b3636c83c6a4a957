import type { Server } from "bun";
import { CalDav } from "../../protocols/caldav/caldav.ts";
import type { PasswordLogins } from "../accounts/password-login.ts";
import { Dashboard } from "../dashboard/dashboard.ts";
import { newUuid } from "../ids.ts";
import { McpEndpoint } from "../mcp/endpoint.ts";
import type { Metrics } from "../metrics.ts";
import { VERSION } from "../version.ts";
import { createApiApp } from "./app.ts";
import { type Authenticator, isSignedRequest, rememberCaller } from "./auth.ts";
import { mayBeLarge, tooLarge, withinLimit } from "./body.ts";
import type { ApiDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { errorResponse, setRequestId } from "./http.ts";
import { LargeBodies } from "./large-bodies.ts";
import { publicDocument } from "./openapi/public.ts";
import { refuseResolvedIds } from "./path.ts";
import { withProviderWrites } from "./provider-writes.ts";
import { TrackingEndpoints } from "./tracking.ts";

const JSON_BODY_LIMIT = 1024 * 1024;
/** Routes that carry whole messages (base64 in JSON, or multipart) get room for the message limit. */
const MESSAGE_ROUTES = /\/(messages\/send|messages\/import|drafts)(\/|$)|^\/mcp$/;

export interface HttpDeps extends ApiDeps {
  auth: Authenticator;
  metrics: Metrics;
  isReady: () => boolean;
  /** App-password logins (CalDAV's HTTP Basic, as IMAP and SMTP). */
  logins: PasswordLogins;
}

/**
 * Bun.serve in front of Elysia: assigns request ids, authenticates /v3 before reading any body,
 * enforces body limits (and how many large bodies are read at once), answers /healthz and
 * /metrics, and logs one line per request.
 */
/** Paths polled by monitors, logged at debug. */
const PROBES = new Set(["/healthz", "/metrics"]);

export function startHttp(deps: HttpDeps, port: number, hostname: string): Server<undefined> {
  const app = createApiApp(withProviderWrites(deps));
  const messageLimit = Math.ceil(deps.config.limits.maxMessageBytes * 1.4) + JSON_BODY_LIMIT;
  const largeBodies = new LargeBodies(deps.config.limits.httpMaxLargeBodies);
  const mcp = new McpEndpoint(VERSION);
  const dashboard = new Dashboard();
  const tracking = new TrackingEndpoints(deps.store, deps.log);
  const caldav = new CalDav(deps);
  const server = Bun.serve({
    port,
    hostname,
    // Long-polls and event streams hold requests open; Bun's default would cut them at 10 s.
    idleTimeout: 255,
    maxRequestBodySize: messageLimit,
    fetch: (incoming, server) => handle(incoming, server.requestIP(incoming)?.address ?? "unknown"),
  });
  // Stopping the listener also writes the tracking hits still waiting for their batch.
  const stop = server.stop.bind(server);
  server.stop = async (closeActive?: boolean) => {
    await stop(closeActive);
    await tracking.flush();
  };
  return server;

  /**
   * One request: from the network, or in process from an MCP tool or a dashboard page (as the same
   * caller, with its key).
   */
  async function handle(incoming: Request, ip: string): Promise<Response> {
    const started = performance.now();
    const id = newUuid();
    setRequestId(incoming, id);
    let request = incoming;
    let response: Response;
    try {
      const url = new URL(incoming.url);
      // The SDK builds `${apiUri}${path}`: a trailing slash in apiUri gives `//v3/...`.
      url.pathname = url.pathname.replace(/\/{2,}/g, "/");
      refuseResolvedIds(url.pathname);
      response = await route(incoming, url, ip, (r) => {
        request = r;
        setRequestId(r, id);
      });
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(500, "internal error");
      if (!(err instanceof ApiError)) deps.log.error({ err }, "request failed");
      response = errorResponse(request, error);
    }
    // Every answer names its request (a download or a stream too, not only the JSON envelopes).
    if (!response.headers.has("x-request-id")) response.headers.set("x-request-id", id);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    deps.metrics.inc("agentbox_http_requests_total", "HTTP requests by status", {
      status: String(response.status),
    });
    const path = new URL(request.url).pathname;
    // Health checks and metrics scrapes come every few seconds: only at debug.
    deps.log[PROBES.has(path) ? "debug" : "info"](
      {
        method: request.method,
        path,
        status: response.status,
        ms,
        requestId: id,
      },
      "http",
    );
    return response;
  }

  /**
   * Nothing of a body is read before its caller is known: a wrong key (or an address blocked for
   * failed attempts) is answered at once, however large the body it announced or streams. Only a
   * service-account request is read first (its signature covers the body), within the JSON limit.
   */
  async function route(
    incoming: Request,
    url: URL,
    ip: string,
    routed: (request: Request) => void,
  ): Promise<Response> {
    if (url.pathname === "/healthz") {
      const ready = deps.isReady();
      return Response.json({ status: ready ? "ok" : "starting" }, { status: ready ? 200 : 503 });
    }
    if (url.pathname.startsWith("/t/")) {
      const answer = tracking.handle(incoming, url.pathname, ip);
      if (answer) return answer;
    }
    // CalDAV authenticates itself (HTTP Basic, app passwords) and bounds its own bodies.
    if (CalDav.handles(url.pathname)) return caldav.handle(incoming, url, ip);
    if (Dashboard.handles(incoming, url.pathname)) {
      return dashboard.handle(incoming, url, (forwarded) => handle(forwarded, ip));
    }
    if (url.pathname === "/metrics") {
      return new Response(deps.metrics.render(), {
        headers: { "content-type": "text/plain; version=0.0.4" },
      });
    }
    const document = publicDocument(incoming.method, url.pathname);
    if (document) return document;
    const limit = MESSAGE_ROUTES.test(url.pathname) ? messageLimit : JSON_BODY_LIMIT;
    const declared = incoming.headers.get("content-length");
    if (declared !== null && Number(declared) > limit) throw tooLarge(Number(declared), limit);
    let request = incoming;
    if (isSignedRequest(incoming, url)) {
      request = await withinLimit(incoming, url, JSON_BODY_LIMIT);
      routed(request);
    }
    const isMcp = url.pathname === "/mcp";
    if (url.pathname.startsWith("/v3/") || isMcp) await deps.auth.authenticate(request, url, ip);
    const release = mayBeLarge(request, JSON_BODY_LIMIT) ? await largeBodies.acquire() : () => {};
    if (!release) {
      throw new ApiError(
        503,
        `${largeBodies.max} large request bodies are being received; try again shortly`,
        undefined,
        { "retry-after": "5" },
      );
    }
    try {
      const bounded = await withinLimit(request, url, limit);
      rememberCaller(request, bounded);
      routed(bounded);
      if (isMcp) {
        const authorization = bounded.headers.get("authorization") ?? "";
        return await mcp.handle(bounded, authorization, (r) => handle(r, ip));
      }
      return await app.handle(bounded);
    } finally {
      release();
    }
  }
}
