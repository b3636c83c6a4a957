import { type Asset, loadAssets } from "./assets.ts";
import { SECURITY_HEADERS } from "./headers.ts";
import { isMessageFramePath, messageFrame } from "./message-frame.ts";
import { Sessions } from "./sessions.ts";

const COOKIE = "agentbox_session";
const API_PREFIX = "/dashboard/api/";

/** How the dashboard reaches the public API: the same handler, in process, as any client. */
export type ForwardToApi = (request: Request) => Promise<Response>;

/**
 * The operator dashboard under /dashboard/: static files, sign-in with an API key (an HttpOnly,
 * SameSite=Strict cookie naming a server-side session), and /dashboard/api/v3/… forwarded to the
 * public API with the session's key. Changes need the session's CSRF token in `x-csrf-token`.
 */
export class Dashboard {
  private readonly sessions = new Sessions();
  private readonly assets: Map<string, Asset> = loadAssets();

  /** The dashboard's paths, and `/` when a browser asks for a page (an API client gets the index). */
  static handles(request: Request, pathname: string): boolean {
    if (pathname === "/") return (request.headers.get("accept") ?? "").includes("text/html");
    return pathname === "/dashboard" || pathname.startsWith("/dashboard/");
  }

  async handle(request: Request, url: URL, forward: ForwardToApi): Promise<Response> {
    const path = url.pathname;
    if (path === "/" || path === "/dashboard") return redirect("/dashboard/");
    if (path === "/dashboard/session") return this.session(request, url, forward);
    if (path.startsWith(API_PREFIX)) return this.api(request, url, forward);
    if (isMessageFramePath(path) && request.method === "GET") {
      const session = this.sessions.find(cookieOf(request));
      if (!session) return plain(401, "not signed in");
      return messageFrame(url, session.apiKey, forward);
    }
    const name = path === "/dashboard/" ? "index.html" : path.slice("/dashboard/".length);
    const asset = this.assets.get(name);
    if (!asset || request.method !== "GET") return plain(404, "not found");
    return new Response(asset.body, { headers: { ...SECURITY_HEADERS, "content-type": asset.type } });
  }

  /** POST signs in ({api_key}), GET tells whether signed in (and the CSRF token), DELETE signs out. */
  private async session(request: Request, url: URL, forward: ForwardToApi): Promise<Response> {
    if (request.method === "GET") {
      const session = this.sessions.find(cookieOf(request));
      if (!session) return json(401, { error: "not signed in" });
      return json(200, { csrf_token: session.csrfToken });
    }
    if (!sameOrigin(request, url)) return json(403, { error: "cross-origin request refused" });
    if (request.method === "DELETE") {
      const id = cookieOf(request);
      const session = this.sessions.find(id);
      if (session && request.headers.get("x-csrf-token") !== session.csrfToken)
        return json(403, { error: "missing or wrong CSRF token" });
      this.sessions.close(id);
      return json(
        200,
        {},
        { "set-cookie": `${COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0` },
      );
    }
    if (request.method !== "POST") return json(405, { error: "method not allowed" });
    const body = (await request.json().catch(() => null)) as { api_key?: unknown } | null;
    const key = typeof body?.api_key === "string" ? body.api_key.trim() : "";
    if (!key) return json(400, { error: "api_key is required" });
    const check = await forward(
      new Request(new URL("/v3/applications", url).href, { headers: { authorization: `Bearer ${key}` } }),
    );
    if (check.status !== 200) {
      const error = ((await check.json().catch(() => null)) as { error?: { message?: string } } | null)
        ?.error;
      return json(check.status === 429 ? 429 : 401, { error: error?.message ?? "invalid API key" });
    }
    const { id, session } = this.sessions.open(key);
    return json(
      200,
      { csrf_token: session.csrfToken },
      {
        "set-cookie": `${COOKIE}=${id}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${Sessions.maxAgeSeconds}`,
      },
    );
  }

  private async api(request: Request, url: URL, forward: ForwardToApi): Promise<Response> {
    const session = this.sessions.find(cookieOf(request));
    if (!session) return json(401, { error: "not signed in" });
    const reads = request.method === "GET" || request.method === "HEAD";
    if (!reads && (!sameOrigin(request, url) || request.headers.get("x-csrf-token") !== session.csrfToken)) {
      return json(403, { error: "missing or wrong CSRF token" });
    }
    const target = new URL(`/${url.pathname.slice(API_PREFIX.length)}${url.search}`, url);
    if (!target.pathname.startsWith("/v3/")) return json(404, { error: "not found" });
    const headers = new Headers(request.headers);
    headers.delete("cookie");
    headers.delete("x-csrf-token");
    headers.set("authorization", `Bearer ${session.apiKey}`);
    const init: RequestInit = { method: request.method, headers, signal: request.signal };
    if (!reads) init.body = await request.arrayBuffer();
    return forward(new Request(target.href, init));
  }
}

function cookieOf(request: Request): string | null {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE) return value.join("=") || null;
  }
  return null;
}

/** A change must come from a page of this origin (Origin, or failing that Referer, as browsers send). */
function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get("origin") ?? request.headers.get("referer");
  if (!origin) return false;
  try {
    return new URL(origin).host === url.host;
  } catch {
    return false;
  }
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...SECURITY_HEADERS, ...extra } });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, "content-type": "text/plain" } });
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location } });
}
