import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ImportStateFile } from "../../src/cli/import/state.ts";
import { createAccount } from "../api/helpers.ts";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { Receiver } from "../webhooks/receiver.ts";

/**
 * The CLI's mail groups (message, thread, folder, webhook, import, mcp install) as a real
 * subprocess through the package's Node launcher, against the real server in this process.
 */

const BIN = join(resolve(import.meta.dir, "../.."), "bin", "agentbox.cjs");

let t: TestServer;
const scratch = mkdtempSync(join(tmpdir(), "agentbox-cli-mail-"));
const stateDir = join(scratch, "state");
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function spawn(args: string[], stdin?: string, env: Record<string, string> = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("AGENTBOX_")),
  ) as Record<string, string>;
  const proc = Bun.spawn({
    cmd: ["node", BIN, ...args],
    env: {
      ...base,
      AGENTBOX_URL: t.url,
      AGENTBOX_API_KEY: t.apiKey,
      AGENTBOX_IMPORT_STATE_DIR: stateDir,
      ...env,
    },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return (async (): Promise<Run> => {
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { code, stdout, stderr };
  })();
}

const cli = (args: string[], stdin?: string, env?: Record<string, string>) => spawn(args, stdin, env);
function ok(run: Run): string {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return run.stdout;
}

describe("message", () => {
  test("list (table and --json), get with the clean text, --search, --unread", async () => {
    const a = await createAccount(t);
    await deliver(
      t,
      a.id,
      { subject: "Welcome", from: "team@service.example", text: "Hello and welcome." },
      { internalDate: 1_700_000_000 },
    );
    const code = await deliver(t, a.id, {
      subject: "Your code",
      from: "noreply@service.example",
      text: "Code: 551234\n\nOn Mon, Jan 1, 2024 at 9:00 AM Someone <s@x.example> wrote:\n> earlier text\n",
    });
    const table = ok(await cli(["message", "list", a.email]));
    expect(table).toContain("SUBJECT");
    expect(table).toContain("* Your code");
    const json = JSON.parse(ok(await cli(["message", "list", a.email, "--json", "--search", "welcome"])));
    expect(json.map((m: any) => m.subject)).toEqual(["Welcome"]);
    await api(t, "PUT", `/v3/grants/${a.id}/messages/${code.id}`, { unread: false });
    const unread = JSON.parse(ok(await cli(["message", "list", a.email, "--unread", "--json"])));
    expect(unread.map((m: any) => m.subject)).toEqual(["Welcome"]);
    const shown = ok(await cli(["message", "get", a.email, code.id]));
    expect(shown).toContain("Codes:");
    expect(shown).toContain("551234");
    expect(shown).toContain("Code: 551234");
    expect(shown).not.toContain("earlier text");
    const full = JSON.parse(ok(await cli(["message", "get", a.id, code.id, "--json"])));
    expect(full.conversation).toBe("Code: 551234");
    const missing = await cli(["message", "get", a.email, "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("message nope not found");
  });

  test("send (body from --body and from standard input) reaches a local account", async () => {
    const from = await createAccount(t);
    const to = await createAccount(t);
    ok(
      await cli([
        "message",
        "send",
        from.email,
        "--to",
        to.email,
        "--subject",
        "Hi there",
        "--body",
        "First line",
      ]),
    );
    ok(
      await cli(
        ["message", "send", from.email, "--to", to.email, "--subject", "Piped", "--json"],
        "Body from a pipe\n",
      ),
    );
    const inbox = await api(t, "GET", `/v3/grants/${to.id}/messages`);
    expect(inbox.body.data.map((m: any) => m.subject).sort()).toEqual(["Hi there", "Piped"]);
    const usage = await cli(["message", "send", from.email, "--subject", "x", "--body", "y"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--to");
  });

  test("wait: shows the message that arrives with its code; exit 1 at the timeout", async () => {
    const a = await createAccount(t);
    const waiting = cli(["message", "wait", a.email, "--subject", "login", "--timeout", "20"]);
    await Bun.sleep(1500);
    await deliver(t, a.id, { subject: "Your login code", text: "Use 908172 to sign in." });
    const out = ok(await waiting);
    expect(out).toContain("908172");
    const late = await cli(["message", "wait", a.email, "--subject", "never", "--timeout", "1"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain("no matching message arrived within 1 s");
  });
});

describe("thread and folder", () => {
  test("thread list/get; folder create/list/delete", async () => {
    const a = await createAccount(t);
    const first = await deliver(t, a.id, { subject: "Plan", messageId: "plan@x.example" });
    await deliver(t, a.id, {
      subject: "Re: Plan",
      inReplyTo: "plan@x.example",
      references: ["plan@x.example"],
    });
    const threads = JSON.parse(ok(await cli(["thread", "list", a.email, "--json"])));
    expect(threads.map((th: any) => th.id)).toEqual([first.threadId]);
    expect(ok(await cli(["thread", "get", a.email, first.threadId]))).toContain("Plan");
    const created = JSON.parse(ok(await cli(["folder", "create", a.email, "Receipts", "--json"])));
    expect(ok(await cli(["folder", "list", a.email]))).toContain("Receipts");
    expect((await cli(["folder", "delete", a.email, created.id])).code).toBe(2);
    ok(await cli(["folder", "delete", a.email, created.id, "--yes"]));
    expect(ok(await cli(["folder", "list", a.email]))).not.toContain("Receipts");
  });
});

describe("webhook", () => {
  test("create (the secret once), list, test, delete", async () => {
    const receiver = Receiver.start();
    try {
      const out = ok(
        await cli(["webhook", "create", receiver.url, "--triggers", "message.created,message.updated"]),
      );
      expect(out).toMatch(/Secret:\s+\S{20,}/);
      const listed = JSON.parse(ok(await cli(["webhook", "list", "--json"])));
      const hook = listed.find((h: any) => h.webhook_url === receiver.url);
      expect(hook.trigger_types).toEqual(["message.created", "message.updated"]);
      ok(await cli(["webhook", "test", receiver.url, "--trigger", "message.created"]));
      await receiver.waitFor(1, (d) => d.body.type === "message.created");
      ok(await cli(["webhook", "delete", hook.id]));
      const after = JSON.parse(ok(await cli(["webhook", "list", "--json"])));
      expect(after.some((h: any) => h.id === hook.id)).toBe(false);
      const refused = await cli(["webhook", "create", receiver.url]);
      expect(refused.code).toBe(2);
    } finally {
      await receiver.stop();
    }
  });
});

const mail = (n: number, extra = "") =>
  `From: sender${n}@old.example\nTo: me@old.example\nSubject: Old message ${n}\nMessage-ID: <old-${n}@old.example>\nDate: Mon, 1 Jan 2024 10:00:0${n} +0000\n${extra}\nBody of message ${n}.\n`;

describe("import", () => {
  test("mbox: messages, flags and dates in; a second run imports nothing; progress on stderr", async () => {
    const a = await createAccount(t);
    const file = join(scratch, "old.mbox");
    writeFileSync(
      file,
      `From sender1@old.example Mon Jan  1 10:00:01 2024\n${mail(1, "Status: RO\n")}\n` +
        `From sender2@old.example Mon Jan  1 10:00:02 2024\n${mail(2, "X-Status: F\n")}>From the archive, an escaped line.\n\n` +
        `From sender3@old.example Mon Jan  1 10:00:03 2024\n${mail(3)}\n`,
    );
    const run = await cli(["import", "mbox", file, "--account", a.email]);
    expect(ok(run)).toContain("Imported 3 messages");
    expect(run.stderr).toContain("import: 3 messages, 100%");
    const list = (await api(t, "GET", `/v3/grants/${a.id}/messages`)).body.data;
    expect(list.map((m: any) => m.subject)).toEqual(["Old message 3", "Old message 2", "Old message 1"]);
    expect(list.map((m: any) => [m.unread, m.starred])).toEqual([
      [true, false],
      [true, true],
      [false, false],
    ]);
    expect(list[2].date).toBe(1_704_103_201);
    expect(list[1].body).toContain("From the archive, an escaped line.");
    expect(list[1].body).not.toContain("&gt;From");
    const again = JSON.parse(ok(await cli(["import", "mbox", file, "--account", a.email, "--json"])));
    expect(again).toMatchObject({ imported: 0, duplicates: 3, failed: 0 });
  });

  test("mbox: an interrupted import resumes from its saved position", async () => {
    const a = await createAccount(t);
    const file = join(scratch, "resume.mbox");
    const first = `From a@old.example Mon Jan  1 10:00:01 2024\n${mail(4)}\n`;
    writeFileSync(file, `${first}From a@old.example Mon Jan  1 10:00:02 2024\n${mail(5)}\n`);
    const stat = statSync(file);
    new ImportStateFile(file, a.email, "inbox", { AGENTBOX_IMPORT_STATE_DIR: stateDir }).save({
      fingerprint: `${stat.size}:${Math.floor(stat.mtimeMs)}`,
      position: Buffer.byteLength(first),
      imported: 1,
      duplicates: 0,
      failed: 0,
    });
    const run = await cli(["import", "mbox", file, "--account", a.email]);
    expect(ok(run)).toContain("Imported 2 messages");
    expect(run.stderr).toContain("resumed");
    const list = (await api(t, "GET", `/v3/grants/${a.id}/messages`)).body.data;
    expect(list.map((m: any) => m.subject)).toEqual(["Old message 5"]);
  });

  test("maildir: cur/ and new/ with their flags, into a named folder; errors", async () => {
    const a = await createAccount(t);
    await api(t, "POST", `/v3/grants/${a.id}/folders`, { name: "Archive 2023" });
    const dir = join(scratch, "Maildir");
    for (const sub of ["cur", "new", "tmp"]) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, "cur", "1700000001.M1P1.host:2,S"), mail(6));
    writeFileSync(join(dir, "cur", "1700000002.M2P1.host:2,FS"), mail(7));
    writeFileSync(join(dir, "new", "1700000003.M3P1.host"), mail(8));
    const folders = (await api(t, "GET", `/v3/grants/${a.id}/folders`)).body.data;
    const archive = folders.find((f: any) => f.name === "Archive 2023").id;
    ok(await cli(["import", "maildir", dir, "--account", a.email, "--folder", archive]));
    const list = (await api(t, "GET", `/v3/grants/${a.id}/messages?in=${archive}`)).body.data;
    expect(list.map((m: any) => [m.subject, m.unread, m.starred, m.date])).toEqual([
      ["Old message 8", true, false, 1_700_000_003],
      ["Old message 7", false, true, 1_700_000_002],
      ["Old message 6", false, false, 1_700_000_001],
    ]);
    expect((await cli(["import", "maildir", dir])).code).toBe(2);
    const notMaildir = await cli(["import", "maildir", scratch, "--account", a.email]);
    expect(notMaildir.code).toBe(1);
    expect(notMaildir.stderr).toContain("not a Maildir");
    const unknown = await cli(["import", "maildir", dir, "--account", "nobody@agents.localhost"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("not found");
  });
});

describe("mcp install", () => {
  test("prints each client's configuration, and --write merges it into the client's file", async () => {
    const out = ok(await cli(["mcp", "install"]));
    expect(out).toContain('"mcpServers"');
    expect(out).toContain(`${t.url}/mcp`);
    const code = ok(await cli(["mcp", "install", "--client", "claude-code"]));
    expect(code).toContain("claude mcp add agentbox --env");
    expect(code).toContain("-- npx agentbox mcp serve");
    const home = join(scratch, "home");
    mkdirSync(join(home, ".cursor"), { recursive: true });
    writeFileSync(
      join(home, ".cursor", "mcp.json"),
      JSON.stringify({ mcpServers: { other: { command: "x" } } }),
    );
    ok(await cli(["mcp", "install", "--client", "cursor", "--write"], undefined, { HOME: home }));
    const written = JSON.parse(await Bun.file(join(home, ".cursor", "mcp.json")).text());
    expect(Object.keys(written.mcpServers).sort()).toEqual(["agentbox", "other"]);
    expect(written.mcpServers.agentbox).toMatchObject({
      command: "npx",
      args: ["agentbox", "mcp", "serve"],
      env: { AGENTBOX_URL: t.url, AGENTBOX_API_KEY: t.apiKey },
    });
    const bad = await cli(["mcp", "install", "--client", "notepad"]);
    expect(bad.code).toBe(2);
    expect((await cli(["mcp", "install", "--client", "codex", "--write"])).code).toBe(2);
  });
});

describe("account create-many", () => {
  test("creates what the file lists, leaves existing accounts alone, reports progress and failures", async () => {
    const existing = await createAccount(t);
    const fresh = [1, 2, 3].map((i) => `bulk-${i}-${crypto.randomUUID().slice(0, 6)}@agents.localhost`);
    const file = join(scratch, "accounts.csv");
    writeFileSync(file, `email,name\n${fresh[0]},First Bot\n${fresh[1]}\n\n${existing.email}\n${fresh[2]}\n`);
    const run = await cli(["account", "create-many", file]);
    expect(ok(run)).toContain("Created 3 accounts; 1 already existed; 0 failed.");
    expect(run.stderr).toContain("accounts: 4 of 4 accounts (100%)");
    const named = await api(t, "GET", `/v3/grants?email=${encodeURIComponent(fresh[0] as string)}`);
    expect(named.body.data[0].name).toBe("First Bot");
    writeFileSync(file, "not-an-address\n");
    const bad = await cli(["account", "create-many", file, "--json"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      created: 0,
      existing: 0,
      failed: [{ email: "not-an-address" }],
    });
  });
});
