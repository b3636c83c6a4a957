import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { TestServer } from "../support/server.ts";

/** The SDK's own client, over either transport, as one API key. */

const BIN = join(resolve(import.meta.dir, "../.."), "bin", "agentbox.cjs");

export type Connect = (key: string) => Promise<Client>;

export function httpClient(t: Pick<TestServer, "url">): Connect {
  return async (key) => {
    const client = new Client({ name: "agentbox-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    return client;
  };
}

/** `npx agentbox mcp serve` as a subprocess (through the package's Node launcher). */
export function stdioClient(t: Pick<TestServer, "url">): Connect {
  return async (key) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AGENTBOX_")),
    ) as Record<string, string>;
    const client = new Client({ name: "agentbox-test", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: "node",
      args: [BIN, "mcp", "serve"],
      env: { ...env, AGENTBOX_URL: t.url, AGENTBOX_API_KEY: key },
      stderr: "inherit",
    });
    await client.connect(transport);
    return client;
  };
}
