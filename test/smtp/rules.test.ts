import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { createApplication } from "../api/helpers.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, type TestServer } from "../support/server.ts";
import { folder, type Mailbox, mailbox, mxTransport, rfc822, startSmtpTestServer } from "./support/smtp.ts";
import { SmtpWire } from "./support/wire.ts";

/**
 * The inbound rule engine on the MX, over real SMTP sessions: `smtp_rcpt` (a block is a 550
 * 5.7.1 at RCPT, nothing stored), `inbox_processing` (the header's From; actions applied as the
 * message is stored), fail closed (451 4.3.0), and every evaluation in the audit trail.
 */

let dns: TestDnsServer;
let t: TestServer;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await startSmtpTestServer({ AGENTBOX_DNS_SERVER: dns.address });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

type RuleBody = Record<string, unknown>;

async function rule(body: RuleBody, key?: string): Promise<string> {
  const res = await api(t, "POST", "/v3/rules", { name: "r", ...body }, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id;
}

/** An account whose policy links these rules (the legacy `rules` of a policy given in settings). */
async function governed(ruleIds: string[]): Promise<Mailbox> {
  const policy = await api(t, "POST", "/v3/policies", { name: "p", rules: ruleIds });
  expect(policy.status).toBe(200);
  return mailbox(t, "ruled", { policy_id: policy.body.data.id });
}

const fromDomain = (value: string, operator = "is") => ({
  conditions: [{ field: "from.domain", operator, value }],
});

async function evaluations(grantId: string): Promise<Record<string, any>[]> {
  const res = await api(t, "GET", `/v3/grants/${grantId}/rule-evaluations`);
  expect(res.status).toBe(200);
  return res.body.data;
}

/** One SMTP transaction on a raw connection: the reply to each step, stopping at the first refusal. */
async function transaction(from: string, to: string, data: string) {
  const wire = await SmtpWire.open(t.server.ports.mx);
  try {
    await wire.read();
    await wire.command("EHLO mta.sender.example");
    const mail = await wire.command(`MAIL FROM:<${from}>`);
    const rcpt = await wire.command(`RCPT TO:<${to}>`);
    if (rcpt.code !== 250) return { mail, rcpt, data: null };
    await wire.command("DATA");
    const done = await wire.command(`${data}\r\n.`);
    await wire.command("QUIT");
    return { mail, rcpt, data: done };
  } finally {
    wire.close();
  }
}

async function deliver(from: string, to: string, raw: string) {
  const transport = mxTransport(t);
  try {
    return await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}

describe("smtp_rcpt", () => {
  test("a block rule refuses at RCPT with 550 5.7.1; nothing is stored; the evaluation is recorded", async () => {
    const id = await rule({ match: fromDomain("Spam.Example"), actions: [{ type: "block" }] });
    const r = await governed([id]);
    const result = await transaction("bulk@spam.example", r.email, rfc822({ Subject: "x" }));
    expect(result.rcpt.code).toBe(550);
    expect(result.rcpt.text).toContain("5.7.1");
    expect(await folder(t, r.id, "inbox")).toHaveLength(0);
    const [e] = await evaluations(r.id);
    expect(e).toMatchObject({
      grant_id: r.id,
      evaluation_stage: "smtp_rcpt",
      applied_actions: { blocked: true },
      matched_rule_ids: [id],
      evaluation_input: {
        from_address: "bulk@spam.example",
        from_domain: "spam.example",
        from_tld: "example",
      },
    });
    expect(e).not.toHaveProperty("message_id");
    // Another sender gets through.
    const ok = await transaction(
      "friend@good.example",
      r.email,
      rfc822({ From: "friend@good.example", Subject: "hi" }),
    );
    expect(ok.data?.code).toBe(250);
  });

  test("a pass at RCPT is recorded too: nothing applied at that stage, the matched rules named", async () => {
    const block = await rule({ match: fromDomain("spam.example"), actions: [{ type: "block" }] });
    const star = await rule({ match: fromDomain("friend.example"), actions: [{ type: "mark_as_starred" }] });
    const r = await governed([block, star]);
    const result = await transaction(
      "pal@friend.example",
      r.email,
      rfc822({ From: "pal@friend.example", Subject: "hello" }),
    );
    expect(result.data?.code).toBe(250);
    const all = await evaluations(r.id);
    const atRcpt = all.filter((e) => e.evaluation_stage === "smtp_rcpt");
    expect(atRcpt).toHaveLength(1);
    expect(atRcpt[0]).toMatchObject({
      grant_id: r.id,
      applied_actions: {},
      matched_rule_ids: [star],
      evaluation_input: { from_address: "pal@friend.example", from_domain: "friend.example" },
    });
    expect(atRcpt[0]).not.toHaveProperty("message_id");
    const processed = all.find((e) => e.evaluation_stage === "inbox_processing");
    expect(processed).toMatchObject({ applied_actions: { marked_starred: true }, matched_rule_ids: [star] });
  });

  test("in_list over a domain list; items added later apply at once; disabled rules do not run", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "blocked", type: "domain" });
    const listId = list.body.data.id;
    const id = await rule({
      match: { conditions: [{ field: "from.domain", operator: "in_list", value: [listId] }] },
      actions: [{ type: "block" }],
    });
    const r = await governed([id]);
    expect((await transaction("a@listed.example", r.email, rfc822({ Subject: "1" }))).rcpt.code).toBe(250);
    await api(t, "POST", `/v3/lists/${listId}/items`, { items: ["listed.example"] });
    expect((await transaction("a@listed.example", r.email, rfc822({ Subject: "2" }))).rcpt.code).toBe(550);
    await api(t, "PUT", `/v3/rules/${id}`, { enabled: false });
    expect((await transaction("a@listed.example", r.email, rfc822({ Subject: "3" }))).rcpt.code).toBe(250);
  });
});

describe("inbox_processing", () => {
  test("the header's From is matched after DATA: a block there is a 550 5.7.1 to DATA, nothing stored", async () => {
    const id = await rule({ match: fromDomain("forged.example"), actions: [{ type: "block" }] });
    const r = await governed([id]);
    const result = await transaction(
      "bounces@relay.example",
      r.email,
      rfc822({ From: "Boss <boss@forged.example>", Subject: "wire money" }),
    );
    expect(result.rcpt.code).toBe(250);
    expect(result.data?.code).toBe(550);
    expect(result.data?.text).toContain("5.7.1");
    expect(await folder(t, r.id, "inbox")).toHaveLength(0);
    const [e] = await evaluations(r.id);
    expect(e).toMatchObject({ evaluation_stage: "inbox_processing", applied_actions: { blocked: true } });
    expect(e).not.toHaveProperty("message_id");
  });

  test("actions apply as the message is stored, in priority order; the record names the message", async () => {
    const created = await api(t, "POST", "/v3/rules", {
      name: "receipts",
      priority: 1,
      match: fromDomain("shop.example"),
      actions: [{ type: "assign_to_folder", value: "Receipts" }, { type: "mark_as_read" }],
    });
    const receipts = created.body.data.id;
    const later = await rule({
      priority: 50,
      match: fromDomain("example", "contains"),
      actions: [{ type: "archive" }, { type: "mark_as_starred" }],
    });
    const r = await governed([later, receipts]);
    const made = await api(t, "POST", `/v3/grants/${r.id}/folders`, { name: "Receipts" });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const folderId = made.body.data.id;

    await deliver(
      "orders@shop.example",
      r.email,
      rfc822({ From: "orders@shop.example", Subject: "Your order" }),
    );
    const [stored] = await folder(t, r.id, folderId);
    expect(stored).toMatchObject({
      subject: "Your order",
      unread: false,
      starred: true,
      folders: [folderId],
    });
    const [e] = await evaluations(r.id);
    expect(e).toMatchObject({
      message_id: stored?.id,
      evaluation_stage: "inbox_processing",
      matched_rule_ids: [receipts, later],
      applied_actions: { folder_ids: [folderId], marked_as_read: true, marked_starred: true },
    });
    expect(e?.applied_actions).not.toHaveProperty("archived");

    // A folder that does not exist is skipped: the next destination applies.
    await api(t, "DELETE", `/v3/grants/${r.id}/folders/${folderId}`);
    await deliver(
      "orders@shop.example",
      r.email,
      rfc822({ From: "orders@shop.example", Subject: "Order 2" }),
    );
    const [archived] = await folder(t, r.id, "archive");
    expect(archived).toMatchObject({ subject: "Order 2", unread: false, starred: true });
    const [e2] = await evaluations(r.id);
    expect(e2?.applied_actions).toEqual({ archived: true, marked_as_read: true, marked_starred: true });
  });

  test("mark_as_spam files to Junk and trash to Trash; no match still records an evaluation", async () => {
    const spam = await rule({ match: fromDomain("junky.example"), actions: [{ type: "mark_as_spam" }] });
    const trash = await rule({ match: fromDomain("old.example"), actions: [{ type: "trash" }] });
    const r = await governed([spam, trash]);
    await deliver("x@junky.example", r.email, rfc822({ From: "x@junky.example", Subject: "junk" }));
    await deliver("x@old.example", r.email, rfc822({ From: "x@old.example", Subject: "old" }));
    await deliver("x@fine.example", r.email, rfc822({ From: "x@fine.example", Subject: "fine" }));
    expect((await folder(t, r.id, "junk")).map((m: any) => m.subject)).toEqual(["junk"]);
    expect((await folder(t, r.id, "trash")).map((m: any) => m.subject)).toEqual(["old"]);
    expect((await folder(t, r.id, "inbox")).map((m: any) => m.subject)).toEqual(["fine"]);
    const all = (await evaluations(r.id)).filter((e) => e.evaluation_stage === "inbox_processing");
    expect(all.map((e) => e.applied_actions)).toEqual([{}, { trashed: true }, { marked_as_spam: true }]);
    expect(all[0]?.matched_rule_ids).toEqual([]);
  });

  test("a mail client sees what the rules did (imapflow)", async () => {
    const id = await rule({
      match: fromDomain("news.example"),
      actions: [{ type: "assign_to_folder", value: "Newsletters" }, { type: "mark_as_starred" }],
    });
    const r = await governed([id]);
    await api(t, "POST", `/v3/grants/${r.id}/folders`, { name: "Newsletters" });
    await deliver("digest@news.example", r.email, rfc822({ From: "digest@news.example", Subject: "Weekly" }));
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: t.server.ports.imaps,
      secure: true,
      auth: { user: r.email, pass: r.password },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock("Newsletters");
      try {
        const messages = [];
        for await (const m of client.fetch("1:*", { envelope: true, flags: true })) messages.push(m);
        expect(messages).toHaveLength(1);
        expect(messages[0]?.envelope?.subject).toBe("Weekly");
        expect([...(messages[0]?.flags ?? [])]).toContain("\\Flagged");
      } finally {
        lock.release();
      }
      const inbox = await client.status("INBOX", { messages: true });
      expect(inbox).toMatchObject({ messages: 0 });
    } finally {
      await client.logout();
    }
  });
});

describe("where rules come from", () => {
  test("a workspace's rule_ids apply to its accounts; a rule attached nowhere applies to none", async () => {
    const loose = await rule({ match: fromDomain("loose.example"), actions: [{ type: "block" }] });
    const plain = await mailbox(t, "plain");
    expect((await transaction("a@loose.example", plain.email, rfc822({ Subject: "x" }))).rcpt.code).toBe(250);
    const ws = await api(t, "POST", "/v3/workspaces", {
      name: "ruled",
      domain: "ruled.example",
      auto_group: false,
      rule_ids: [loose],
    });
    await api(t, "POST", `/v3/workspaces/${ws.body.data.workspace_id}/manual-assign`, {
      assign_grants: [plain.id],
    });
    expect((await transaction("a@loose.example", plain.email, rfc822({ Subject: "y" }))).rcpt.code).toBe(550);
  });

  test("another application's rules never touch this application's accounts", async () => {
    const other = await createApplication(t, "rules elsewhere");
    const theirs = await rule({ match: fromDomain("evil.example"), actions: [{ type: "block" }] }, other.key);
    const policy = await api(t, "POST", "/v3/policies", { name: "theirs", rules: [theirs] }, other.key);
    const ws = await api(t, "GET", "/v3/workspaces", undefined, other.key);
    await api(
      t,
      "PATCH",
      `/v3/workspaces/${ws.body.data[0].workspace_id}`,
      { rule_ids: [theirs] },
      other.key,
    );
    expect(policy.status).toBe(200);
    const mine = await mailbox(t, "mine");
    const result = await transaction(
      "a@evil.example",
      mine.email,
      rfc822({ From: "a@evil.example", Subject: "ok" }),
    );
    expect(result.data?.code).toBe(250);
    expect(await evaluations(mine.id)).toEqual([]);
  });
});

describe("fail closed", () => {
  test("an evaluation that fails blocks with 451 4.3.0 and is recorded as blocked_by_evaluation_error", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "l", type: "domain" });
    const id = await rule({
      match: { conditions: [{ field: "from.domain", operator: "in_list", value: [list.body.data.id] }] },
      actions: [{ type: "block" }],
    });
    const r = await governed([id]);
    // The fault: the list items vanish from under the engine (another connection to the file).
    const db = new Database(join(t.dataDir, "agentbox.db"));
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("ALTER TABLE list_items RENAME TO list_items_away");
    try {
      const result = await transaction("a@any.example", r.email, rfc822({ Subject: "x" }));
      expect(result.rcpt.code).toBe(451);
      expect(result.rcpt.text).toContain("4.3.0");
    } finally {
      db.exec("ALTER TABLE list_items_away RENAME TO list_items");
      db.close();
    }
    const [e] = await evaluations(r.id);
    expect(e).toMatchObject({
      evaluation_stage: "smtp_rcpt",
      applied_actions: { blocked: true, blocked_by_evaluation_error: true },
    });
    expect((await transaction("a@any.example", r.email, rfc822({ Subject: "x" }))).rcpt.code).toBe(250);
  });
});
