import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * `agentbox policy|rule|list|workspace …` end to end: the CLI as a real subprocess (`node
 * bin/agentbox.cjs`, as `npx agentbox` runs it) against the real server; what it changes is
 * checked through the API.
 */

const ROOT = resolve(import.meta.dir, "../..");
const BIN = join(ROOT, "bin", "agentbox.cjs");

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AGENTBOX_")));
  const proc = Bun.spawn({
    cmd: ["node", BIN, ...args],
    cwd: ROOT,
    env: { ...env, AGENTBOX_URL: t.url, AGENTBOX_API_KEY: t.apiKey } as Record<string, string>,
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

function ok(run: Run): string {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return run.stdout;
}

const idOf = (out: string) => /^ID: +(\S+)$/m.exec(out)?.[1] ?? "";

describe("policy", () => {
  test("create, list (the Nylas CLI's shape), get, update, delete", async () => {
    const created = ok(
      await cli(["policy", "create", "Standard", "--limits", '{"limit_count_daily_email_sent":500}']),
    );
    const id = idOf(created);
    expect(created).toContain("limit_count_daily_email_sent=500");
    const listed = ok(await cli(["policy", "list"]));
    expect(listed).toContain("Policies (1)");
    expect(listed).toMatch(new RegExp(`^1\\. Standard +${id}$`, "m"));
    expect(JSON.parse(ok(await cli(["policy", "list", "--json"])))[0].id).toBe(id);
    ok(await cli(["policy", "update", id, "--spam-detection", '{"use_list_dnsbl":true}']));
    const policy = (await api(t, "GET", `/v3/policies/${id}`)).body.data;
    expect(policy.spam_detection).toEqual({ use_list_dnsbl: true });
    expect(policy.limits).toEqual({ limit_count_daily_email_sent: 500 });
    const refused = await cli(["policy", "delete", id]);
    expect(refused.code).toBe(2);
    ok(await cli(["policy", "delete", id, "--yes"]));
    expect((await api(t, "GET", `/v3/policies/${id}`)).status).toBe(404);
  }, 30_000);

  test("the API's refusal is printed and exits 1", async () => {
    const bad = await cli(["policy", "create", "bad", "--limits", '{"limit_inbox_retention_period":0}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("limit_inbox_retention_period");
  });
});

describe("rule, list and workspace", () => {
  test("a list, a rule over it, a workspace running it", async () => {
    const list = idOf(ok(await cli(["list", "create", "Blocked", "--type", "domain"])));
    expect(ok(await cli(["list", "add", list, "--items", "Spam.Example,bad.example"]))).toContain(
      "has 2 items",
    );
    expect(ok(await cli(["list", "items", list]))).toContain("spam.example");
    expect(ok(await cli(["list", "remove", list, "--items", "bad.example"]))).toContain("has 1 items");

    const created = ok(
      await cli([
        "rule",
        "create",
        "Block listed",
        "--when",
        `from.domain in_list ${list}; from.tld is example`,
        "--then",
        "block",
        "--priority",
        "3",
      ]),
    );
    const rule = idOf(created);
    expect(created).toContain(`from.domain in_list ${list}; from.tld is example`);
    const rules = ok(await cli(["rule", "list"]));
    expect(rules).toContain("Rules (1)");
    expect(rules).toMatch(new RegExp(`^1\\. Block listed +${rule}$`, "m"));
    ok(
      await cli([
        "rule",
        "update",
        rule,
        "--enabled",
        "false",
        "--then",
        "assign_to_folder=Blocked, mark_as_read",
      ]),
    );
    const stored = (await api(t, "GET", `/v3/rules/${rule}`)).body.data;
    expect(stored.enabled).toBe(false);
    expect(stored.actions).toEqual([
      { type: "assign_to_folder", value: "Blocked" },
      { type: "mark_as_read" },
    ]);

    const ws = idOf(
      ok(
        await cli([
          "workspace",
          "create",
          "Sales",
          "--domain",
          "sales.example",
          "--auto-group",
          "false",
          "--rule-ids",
          rule,
        ]),
      ),
    );
    const table = ok(await cli(["workspace", "list"]));
    expect(table).toContain("(default)");
    expect(table).toContain("sales.example");
    const account = await api(t, "POST", "/v3/connect/custom", {
      provider: "nylas",
      settings: { email: `cli-${crypto.randomUUID().slice(0, 8)}@agents.localhost` },
    });
    expect(ok(await cli(["workspace", "assign", ws, "--add", account.body.data.id]))).toContain(
      account.body.data.id,
    );
    expect((await api(t, "GET", `/v3/grants/${account.body.data.id}`)).body.data.workspace_id).toBe(ws);
    ok(await cli(["workspace", "update", ws, "--rule-ids", "none"]));
    expect((await api(t, "GET", `/v3/workspaces/${ws}`)).body.data.rule_ids).toEqual([]);
    ok(await cli(["workspace", "delete", ws, "--yes"]));
    ok(await cli(["rule", "delete", rule, "--yes"]));
    ok(await cli(["list", "delete", list, "--yes"]));
    expect(ok(await cli(["list", "list"]))).toContain("No lists.");
  }, 30_000);
});
