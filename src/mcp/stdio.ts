import { createHash } from "node:crypto";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { AgentboxApi } from "./api.ts";
import { SendConfirmations } from "./confirmations.ts";
import { createMcpServer } from "./server.ts";

/** Longer than the longest request a tool makes (wait_for_message: 60 s). */
const REQUEST_TIMEOUT_MS = 90_000;

/**
 * `agentbox mcp serve`: the same tools over stdio, for clients that start a local process. They
 * call the server's REST API over HTTP with the key, as every other client does. Resolves when
 * the client closes stdin.
 */
export async function serveStdio(baseUrl: string, authorization: string, version: string): Promise<void> {
  const send = async (request: Request) => {
    try {
      return await fetch(request, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot reach agentbox at ${baseUrl} (${reason}); AGENTBOX_URL sets its address`);
    }
  };
  const ctx = {
    api: new AgentboxApi(send, baseUrl, authorization),
    confirmations: new SendConfirmations(),
    caller: createHash("sha256").update(authorization).digest("hex"),
  };
  const server = createMcpServer(() => ctx, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
