import { VERSION } from "../../version.ts";
import { docsPage } from "./docs-page.ts";
import { openApiDocument } from "./document.ts";

/**
 * The documents anyone may read, without a key: `/` (where everything is; a browser is sent to the
 * dashboard instead), `/docs`, `/v3/openapi.json` (and `/openapi.json`).
 */
export function publicDocument(method: string, pathname: string): Response | null {
  if (method !== "GET" && method !== "HEAD") return null;
  if (pathname === "/v3/openapi.json" || pathname === "/openapi.json") {
    return Response.json(openApiDocument(VERSION), { headers: { "cache-control": "no-cache" } });
  }
  if (pathname === "/docs" || pathname === "/docs/") {
    return new Response(docsPage(openApiDocument(VERSION)), {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
  }
  if (pathname === "/") {
    return Response.json({
      name: "agentbox",
      version: VERSION,
      api: "/v3 (Nylas v3 wire format; Authorization: Bearer <API key>)",
      openapi: "/v3/openapi.json",
      docs: "/docs",
      mcp: "/mcp",
      dashboard: "/dashboard/",
      health: "/healthz",
    });
  }
  return null;
}
