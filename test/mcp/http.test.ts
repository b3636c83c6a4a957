import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../support/server.ts";
import { calendarToolSuite } from "./calendar-tool-suite.ts";
import { httpClient } from "./clients.ts";
import { toolSuite } from "./tool-suite.ts";

/** /mcp on the API port: Streamable HTTP with the Bearer key. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};

const post = (headers: Record<string, string>) =>
  fetch(`${t.url}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(initialize),
  });

describe("authentication", () => {
  test("no key, a malformed or a wrong key: 401 in the JSON error envelope", async () => {
    for (const headers of [
      {},
      { authorization: "Basic abc" },
      { authorization: "Bearer abx_wrong" },
    ] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/json");
      const body = (await res.json()) as any;
      expect(body.error.type).toBe("unauthorized");
      expect(body.request_id).toBe(res.headers.get("x-request-id"));
    }
  });

  test("with the key: initialize answers with the server's name and tools capability", async () => {
    const res = await post({ authorization: `Bearer ${t.apiKey}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.result.serverInfo.name).toBe("agentbox");
    expect(body.result.capabilities.tools).toBeDefined();
    expect(body.result.instructions).toContain("confirmation_token");
  });

  test("GET (no server-initiated stream in stateless mode): 405", async () => {
    const res = await fetch(`${t.url}/mcp`, {
      headers: { authorization: `Bearer ${t.apiKey}`, accept: "text/event-stream" },
    });
    expect(res.status).toBe(405);
  });
});

toolSuite(
  "Streamable HTTP",
  () => t,
  () => httpClient(t),
);

calendarToolSuite(
  "Streamable HTTP",
  () => t,
  () => httpClient(t),
);
