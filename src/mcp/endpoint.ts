import { createHash } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AgentboxApi, type SendRequest } from "./api.ts";
import { SendConfirmations } from "./confirmations.ts";
import { createMcpServer } from "./server.ts";
import type { ToolContext } from "./tool.ts";

/** The base of the in-process requests: never resolved, only routed. */
const IN_PROCESS_BASE = "http://agentbox.internal";
/** Idle servers kept for reuse (building one, with its tools' schemas, costs ~2 ms). */
const POOL_SIZE = 16;

/**
 * `/mcp` on the API port: MCP's Streamable HTTP transport, stateless (every POST carries the
 * Bearer key, already authenticated by the HTTP server; no session to hijack or expire), with
 * JSON responses. A request's tools call the REST API in process as that request's key, so a
 * key reaches exactly its own application's grants.
 */
export class McpEndpoint {
  private readonly confirmations = new SendConfirmations();
  /** Servers between requests: a server serves one transport at a time, so each request takes one. */
  private readonly idle: McpServer[] = [];

  constructor(private readonly version: string) {}

  /** `send` answers a REST request as the HTTP server would (authentication included). */
  async handle(request: Request, authorization: string, send: SendRequest): Promise<Response> {
    if (request.method !== "POST") return methodNotAllowed();
    const ctx: ToolContext = {
      api: new AgentboxApi(send, IN_PROCESS_BASE, authorization),
      confirmations: this.confirmations,
      caller: createHash("sha256").update(authorization).digest("hex"),
    };
    const server =
      this.idle.pop() ?? createMcpServer((auth) => auth?.extra?.ctx as ToolContext, this.version);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, {
        authInfo: { token: authorization, clientId: ctx.caller, scopes: [], extra: { ctx } },
      });
    } finally {
      await server.close();
      if (this.idle.length < POOL_SIZE) this.idle.push(server);
    }
  }
}

/** Stateless: no stream for the server to push on (GET) and no session to end (DELETE). */
function methodNotAllowed(): Response {
  const error = {
    code: -32000,
    message: "Method not allowed: this MCP server is stateless; POST requests to /mcp",
  };
  return Response.json({ jsonrpc: "2.0", error, id: null }, { status: 405, headers: { allow: "POST" } });
}
