import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { eq } from "drizzle-orm";
import { checkAppPassword } from "../../src/accounts/app-password.ts";
import { grants } from "../../src/store/schema.ts";
import { startTestDnsServer, type TestDnsServer, type TestRecord } from "../support/dns-server.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * The CLI end to end: the real server in this process, the CLI as a real subprocess through the
 * package's Node launcher (`node bin/agentbox.cjs`), exactly as `npx agentbox` runs it.
 */

const ROOT = resolve(import.meta.dir, "../..");
const BIN = join(ROOT, "bin", "agentbox.cjs");
const PASSWORD = "MySecureP4ssword!2024";

let t: TestServer;
let dns: TestDnsServer;
const scratch = mkdtempSync(join(tmpdir(), "agentbox-cli-"));

beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await startTestServer({ AGENTBOX_DNS_SERVER: dns.address });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI against the test server; `env` values of `undefined` unset a variable. */
async function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<Run> {
  const merged: Record<string, string | undefined> = {
    ...withoutAgentboxVars(process.env),
    AGENTBOX_URL: t.url,
    AGENTBOX_API_KEY: t.apiKey,
    ...env,
  };
  const proc = Bun.spawn({
    cmd: ["node", BIN, ...args],
    cwd,
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

function withoutAgentboxVars(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AGENTBOX_")));
}

/** Asserts success, showing stderr when it was not. */
function ok(run: Run): string {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return run.stdout;
}

/** The rows of a printed table (columns are separated by at least two spaces), without its header. */
function tableRows(text: string, firstHeader: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${firstHeader} `));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines
    .slice(start + 1)
    .filter((line) => line.trim() !== "")
    .map((line) => line.split(/ {2,}/));
}

test("--help lists every command group", async () => {
  const out = ok(await cli(["--help"]));
  for (const command of [
    "account create <email>",
    "account list",
    "account get",
    "account update",
    "account delete",
    "domain add",
    "domain list",
    "domain info",
    "domain verify",
    "key create",
    "key list",
    "key revoke",
    "app create",
    "app list",
    "service-account create",
    "status",
    "calendar list <account>",
    "event create <account>",
    "event rsvp <account> <id> <yes|no|maybe>",
  ]) {
    expect(out).toContain(`  ${command}`);
  }
});

test("usage errors exit 2 with the usage line", async () => {
  const [unknown, missing, badOption] = await Promise.all([
    cli(["acount", "list"]),
    cli(["account", "get"]),
    cli(["account", "list", "--limit", "many"]),
  ]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('agentbox: unknown command "acount"');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("agentbox: missing <id|email>\nusage: agentbox account get <id|email>");
  expect(badOption.code).toBe(2);
  expect(badOption.stderr).toContain("--limit must be a positive integer");
});

describe("account", () => {
  test("create, list, get, update, delete", async () => {
    const policy = await api(t, "POST", "/v3/policies", { name: "p-1" });
    const policyId: string = policy.body.data.id;
    const created = ok(
      await cli([
        "account",
        "create",
        "bot@agents.localhost",
        "--app-password",
        PASSWORD,
        "--name",
        "Bot",
        "--policy-id",
        policyId,
      ]),
    );
    expect(created).toContain("Email:      bot@agents.localhost");
    expect(created).toMatch(/Status: +valid/);
    expect(created).toMatch(/IMAP\/SMTP: +enabled/);
    const id = /^ID: +(\S+)$/m.exec(created)?.[1] ?? "";
    expect((await api(t, "GET", `/v3/grants/${id}`)).body.data.email).toBe("bot@agents.localhost");

    const plain = ok(await cli(["account", "create", "plain@agents.localhost"]));
    expect(plain).toMatch(/IMAP\/SMTP: +disabled/);

    const rows = tableRows(ok(await cli(["account", "list"])), "ID");
    expect(rows.map((row) => row[1]).sort()).toEqual(["bot@agents.localhost", "plain@agents.localhost"]);
    const botRow = rows.find((row) => row[0] === id);
    expect(botRow?.slice(1, 4)).toEqual(["bot@agents.localhost", "Bot", "valid"]);
    expect(botRow?.[4]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const listed = JSON.parse(ok(await cli(["account", "list", "--json"]))) as { email: string }[];
    expect(listed.map((g) => g.email).sort()).toEqual(["bot@agents.localhost", "plain@agents.localhost"]);

    expect(ok(await cli(["account", "get", "bot@agents.localhost"]))).toMatch(
      new RegExp(`^ID: +${id}$`, "m"),
    );
    const byId = JSON.parse(ok(await cli(["account", "get", id, "--json"])));
    expect(byId).toMatchObject({ id, email: "bot@agents.localhost", settings: { policy_id: policyId } });

    const newPassword = "Rotated9PasswordXYZ!";
    ok(await cli(["account", "update", "bot@agents.localhost", "--app-password", newPassword]));
    const row = await t.server.store.read.query.grants.findFirst({ where: eq(grants.id, id) });
    expect(await checkAppPassword(newPassword, row?.appPasswordHash ?? "")).toBe(true);
    // PATCH replaces settings wholesale: the CLI re-sent the email and kept the policy.
    expect((await api(t, "GET", `/v3/grants/${id}`)).body.data.settings).toEqual({
      email: "bot@agents.localhost",
      policy_id: policyId,
    });

    const refused = await cli(["account", "delete", "plain@agents.localhost"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pass --yes");
    expect((await api(t, "GET", "/v3/grants/plain@agents.localhost")).status).toBe(200);

    ok(await cli(["account", "delete", "plain@agents.localhost", "--yes"]));
    expect((await api(t, "GET", "/v3/grants/plain@agents.localhost")).status).toBe(404);
    ok(await cli(["account", "delete", id, "--yes"]));
    expect((await api(t, "GET", `/v3/grants/${id}`)).status).toBe(404);
  });

  test("the API's message on stderr: invalid password, unregistered domain, unknown account", async () => {
    const [weak, unregistered, missing] = await Promise.all([
      cli(["account", "create", "weak@agents.localhost", "--app-password", "short"]),
      cli(["account", "create", "someone@unregistered.test"]),
      cli(["account", "get", "nobody@agents.localhost"]),
    ]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toBe("agentbox: app_password must be 18 to 40 characters long (got 5)\n");
    expect(unregistered.code).toBe(1);
    expect(unregistered.stderr).toStartWith(
      "agentbox: domain unregistered.test is not registered to this application",
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("agentbox: grant nobody@agents.localhost not found\n");
    expect((await api(t, "GET", "/v3/grants/weak@agents.localhost")).status).toBe(404);
  });
});

describe("domain", () => {
  test("add prints the records; verify fails until they are published, then passes", async () => {
    const added = ok(await cli(["domain", "add", "example.test", "--name", "Example"]));
    const records = tableRows(added, "RECORD");
    expect(records.map((r) => r[0])).toEqual(["ownership", "mx", "spf", "dkim", "feedback"]);

    const listed = tableRows(ok(await cli(["domain", "list"])), "ID");
    expect(listed.find((row) => row[1] === "example.test")?.slice(2, 4)).toEqual(["Example", "none"]);

    const info = tableRows(ok(await cli(["domain", "info", "example.test"])), "RECORD");
    expect(info.map((r) => r[1])).toEqual(["pending", "pending", "pending", "pending", "pending"]);

    const before = await cli(["domain", "verify", "example.test"]);
    expect(before.code).toBe(1);
    expect(tableRows(before.stdout, "RECORD").every((r) => r[1] === "failed")).toBe(true);
    expect(before.stderr).toContain("verification failed for ownership, mx, spf, dkim, feedback");

    publish(records);
    const after = ok(await cli(["domain", "verify", "example.test"]));
    expect(tableRows(after, "RECORD").map((r) => r.slice(0, 2))).toEqual([
      ["ownership", "done"],
      ["mx", "done"],
      ["spf", "done"],
      ["dkim", "done"],
      ["feedback", "done"],
      ["All 5 checks passed."], // the summary after the table
    ]);
    const mx = tableRows(ok(await cli(["domain", "info", "example.test", "--type", "mx"])), "RECORD");
    expect(mx).toEqual([["mx", "done", "example.test", "MX", "10", "mail.agentbox.test"]]);
    ok(await cli(["account", "create", "agent@example.test"]));
  });
});

/** Puts the rows `domain add` printed (RECORD HOST TYPE PRIORITY VALUE) into the test DNS zone. */
function publish(rows: string[][]): void {
  const zone = new Map<string, TestRecord[]>();
  for (const [, host, type, priority, value] of rows) {
    const record: TestRecord =
      type === "MX" ? { exchange: value ?? "", priority: Number(priority) } : (value ?? "");
    const key = `${host} ${type}`;
    zone.set(key, [...(zone.get(key) ?? []), record]);
  }
  for (const [key, records] of zone) {
    const [host = "", type] = key.split(" ");
    dns.set(host, type === "MX" ? "MX" : "TXT", records);
  }
}

test("key create: the new key works until it is revoked", async () => {
  const created = ok(await cli(["key", "create", "--name", "ci"]));
  expect(created).toContain("only time it is shown");
  const key = /^ {2}(abx_\S+)$/m.exec(created)?.[1] ?? "";
  const id = /^API key (\S+) /.exec(created)?.[1] ?? "";
  expect(key).not.toBe("");

  ok(await cli(["account", "list"], { AGENTBOX_API_KEY: key }));
  const listed = tableRows(ok(await cli(["key", "list"])), "ID");
  expect(listed.find((row) => row[0] === id)?.slice(1, 4)).toEqual(["ci", `${key.slice(0, 8)}…`, "active"]);

  ok(await cli(["key", "revoke", id]));
  const rejected = await cli(["account", "list"], { AGENTBOX_API_KEY: key });
  expect(rejected.code).toBe(1);
  expect(rejected.stderr).toBe("agentbox: invalid or revoked API key\n");
});

test("service-account create prints only the credentials JSON on stdout", async () => {
  const created = await cli(["service-account", "create"]);
  const credentials = JSON.parse(ok(created));
  expect(credentials).toMatchObject({
    type: "service_account",
    private_key: expect.stringContaining("PRIVATE KEY"),
  });
  expect(created.stderr).toContain(credentials.private_key_id);

  const rows = tableRows(ok(await cli(["service-account", "list"])), "ID");
  expect(rows.find((row) => row[0] === credentials.private_key_id)?.[2]).toBe("active");
  ok(await cli(["service-account", "revoke", credentials.private_key_id]));
  const after = (await api(t, "GET", "/v3/admin/service-accounts")).body.data as {
    id: string;
    status: string;
  }[];
  expect(after.find((a) => a.id === credentials.private_key_id)?.status).toBe("revoked");
});

test("app create and list", async () => {
  const created = ok(await cli(["app", "create", "second app"]));
  const id = /\(id (\S+)\)/.exec(created)?.[1] ?? "";
  expect(
    (await api(t, "GET", "/v3/admin/applications")).body.data.map((a: { id: string }) => a.id),
  ).toContain(id);
  const rows = tableRows(ok(await cli(["app", "list"])), "ID");
  expect(rows.find((row) => row[0] === id)?.[1]).toBe("second app");
  expect(rows.find((row) => row[1] === "default")?.[2]).toBe("yes");
});

test("status shows the server, its health, application, accounts and metrics", async () => {
  const accounts = (await api(t, "GET", "/v3/grants?limit=200")).body.data.length;
  const [human, json] = await Promise.all([cli(["status"]), cli(["status", "--json"])]);
  const out = ok(human);
  expect(out).toMatch(new RegExp(`^Server: +${t.url}$`, "m"));
  expect(out).toMatch(/^Health: +ok$/m);
  expect(out).toMatch(/^Application: +default \(/m);
  expect(out).toMatch(new RegExp(`^Accounts: +${accounts}$`, "m"));
  expect(out).toMatch(/^Memory \(RSS\): +\d+\.\d MiB$/m);
  const status = JSON.parse(ok(json));
  expect(status).toMatchObject({ url: t.url, health: "ok", accounts, application: { name: "default" } });
  expect(status.metrics.agentbox_process_rss_bytes).toBeGreaterThan(0);
  expect(typeof status.metrics.agentbox_actors_active).toBe("number");
});

test("an unreachable server gives a clear message", async () => {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const url = `http://127.0.0.1:${listener.port}`;
  listener.stop(true);
  const run = await cli(["account", "list"], { AGENTBOX_URL: url });
  expect(run.code).toBe(1);
  expect(run.stderr).toStartWith(`agentbox: cannot reach agentbox at ${url}`);
  expect(run.stdout).toBe("");
});

test("without AGENTBOX_API_KEY the key is read from the data directory's api-key file", async () => {
  const dataDir = join(scratch, "explicit");
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, "api-key"), `${t.apiKey}\n`);
  const cwd = join(scratch, "cwd");
  mkdirSync(join(cwd, "data"), { recursive: true });
  writeFileSync(join(cwd, "data", "api-key"), `${t.apiKey}\n`);
  const noKey = { AGENTBOX_API_KEY: undefined };

  const [explicit, fromCwd, missing] = await Promise.all([
    cli(["account", "list", "--json"], { ...noKey, AGENTBOX_DATA_DIR: dataDir }),
    cli(["account", "list", "--json"], noKey, cwd),
    cli(["account", "list"], { ...noKey, AGENTBOX_DATA_DIR: join(scratch, "nowhere") }),
  ]);
  expect(Array.isArray(JSON.parse(ok(explicit)))).toBe(true);
  expect(Array.isArray(JSON.parse(ok(fromCwd)))).toBe(true);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("agentbox: no API key: set AGENTBOX_API_KEY");
});
