import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { quietLog } from "./store.ts";

export interface TestServer {
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  url: string;
  /** An operator key (of the default application). */
  apiKey: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The real server, in this process, on fresh random ports with a fresh data directory and a real
 * libSQL file. `env` overrides any AGENTBOX_* variable.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "agentbox-srv-"));
  const apiKey = `abx_test_${crypto.randomUUID()}`;
  const config = loadConfig({
    AGENTBOX_DATA_DIR: dataDir,
    AGENTBOX_HOSTNAME: "mail.agentbox.test",
    AGENTBOX_HTTP_PORT: "0",
    AGENTBOX_IMAPS_PORT: "0",
    AGENTBOX_SMTPS_PORT: "0",
    AGENTBOX_SUBMISSION_PORT: "0",
    AGENTBOX_MX_PORT: "0",
    AGENTBOX_API_KEY: apiKey,
    // Sends queue mail for remote recipients; suites that test delivery turn the queue on.
    AGENTBOX_SMTP_QUEUE_HOLD: "1",
    // Suites open connections from 127.0.0.1 in bursts; test/security/connection-rate.test.ts
    // turns the per-address rate on.
    AGENTBOX_CONNECTION_RATE_PER_S: "0",
    ...env,
  });
  const server = await startServer(config, quietLog);
  return {
    server,
    url: `http://127.0.0.1:${server.ports.http}`,
    apiKey,
    dataDir,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch() against the test server with the operator key (or `key`), JSON in and out. */
export async function api(
  t: Pick<TestServer, "url" | "apiKey">,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = t.apiKey,
): Promise<{ status: number; body: Record<string, any>; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}
