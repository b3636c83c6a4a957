import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createAccount } from "../api/helpers.ts";
import { freePort, type ServerProcess, spawnServer } from "../support/process.ts";
import { api } from "../support/server.ts";
import { Receiver, subscribe } from "../webhooks/receiver.ts";

/** What an operator reads in the first hour: log lines, what a failed start leaves behind. */

const started: ServerProcess[] = [];
const receivers: Receiver[] = [];
afterAll(async () => {
  for (const s of started) s.proc.kill("SIGTERM");
  await Promise.all(started.map((s) => s.proc.exited));
  await Promise.all(receivers.map((r) => r.stop()));
});

function spawn(env: Record<string, string>): ServerProcess {
  const s = spawnServer(env);
  started.push(s);
  return s;
}

const jsonLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("log lines", () => {
  test("JSON when stdout is not a terminal; health checks and metrics scrapes only at debug", async () => {
    const s = spawn({});
    await s.ready();
    for (let i = 0; i < 3; i++) {
      await fetch(`${s.url}/healthz`);
      await fetch(`${s.url}/metrics`);
    }
    await fetch(`${s.url}/v3/grants`); // a 401, logged at info
    await Bun.sleep(100);
    const lines = jsonLines(s.output());
    expect(lines.some((l) => l.msg === "agentbox ready")).toBe(true);
    const http = lines.filter((l) => l.msg === "http");
    expect(http.map((l) => l.path)).toEqual(["/v3/grants"]);
  });

  test("at debug, the probes are there", async () => {
    const s = spawn({ AGENTBOX_LOG_LEVEL: "debug" });
    await s.ready();
    await fetch(`${s.url}/metrics`);
    await Bun.sleep(100);
    const paths = jsonLines(s.output())
      .filter((l) => l.msg === "http")
      .map((l) => l.path);
    expect(paths).toContain("/healthz");
    expect(paths).toContain("/metrics");
  });

  test("AGENTBOX_LOG_FORMAT=pretty: pino-pretty lines a person reads, still without secrets", async () => {
    const key = `abx_test_${crypto.randomUUID()}`;
    const s = spawn({ AGENTBOX_LOG_FORMAT: "pretty", AGENTBOX_API_KEY: key });
    await s.ready();
    await fetch(`${s.url}/v3/grants`, { headers: { authorization: `Bearer ${key}x` } });
    await Bun.sleep(100);
    const ready = s
      .output()
      .split("\n")
      .find((line) => line.includes("agentbox ready"));
    expect(ready).toMatch(/^\S*\[\d\d:\d\d:\d\d\.\d{3}\]\S* \S*INFO/);
    expect(s.output()).not.toContain('{"level"');
    expect(s.output()).not.toContain(key);
  });

  test("an unknown AGENTBOX_LOG_FORMAT is a configuration error", async () => {
    const s = spawn({ AGENTBOX_LOG_FORMAT: "xml" });
    expect(await s.proc.exited).toBe(1);
    expect(s.output()).toContain("AGENTBOX_LOG_FORMAT");
  });

  test("one line per webhook delivery attempt, with ids and outcome, never the URL's token", async () => {
    const key = `abx_test_${crypto.randomUUID()}`;
    const s = spawn({ AGENTBOX_API_KEY: key, AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S: "0.1,0.1" });
    await s.ready();
    const t = { url: s.url, apiKey: key };
    const r = Receiver.start({
      answer: (_d, n) => (n === 0 ? new Response("busy", { status: 503 }) : null),
    });
    receivers.push(r);
    const hook = await subscribe(t, `${r.url}?token=sekret-in-url`, ["folder.created"]);
    const grant = await createAccount(t);
    expect((await api(t, "POST", `/v3/grants/${grant.id}/folders`, { name: "Logged" })).status).toBe(200);
    await r.waitFor(2);
    await Bun.sleep(200);
    const attempts = jsonLines(s.output()).filter((l) => l.webhookId === hook.id && l.attempt !== undefined);
    expect(attempts.map((l) => [l.msg, l.attempt, l.status])).toEqual([
      ["webhook attempt failed", 1, 503],
      ["webhook delivered", 2, 200],
    ]);
    expect(attempts[0]).toMatchObject({ error: "HTTP 503", retry: true, level: 40 });
    expect(attempts.every((l) => typeof l.ms === "number" && typeof l.notificationId === "string")).toBe(
      true,
    );
    expect(s.output()).not.toContain("sekret-in-url");
    expect(s.output()).not.toContain(hook.webhook_secret);
  });
});

describe("a failed start", () => {
  test("a busy port: no API key generated, saved or printed", async () => {
    const port = freePort();
    const holder = Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } });
    try {
      const s = spawn({ AGENTBOX_SMTPS_PORT: String(port) });
      expect(await s.proc.exited).toBe(1);
      expect(s.output()).toContain(`(AGENTBOX_SMTPS_PORT)`);
      expect(s.output()).not.toContain("generated an API key");
      expect(s.output()).not.toContain("abx_");
      expect(existsSync(join(s.dataDir, "api-key"))).toBe(false);
    } finally {
      holder.stop(true);
    }
  });
});
