import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import Nylas, { NylasApiError } from "nylas";
import { scheduledSends } from "../../src/store/schema.ts";
import { submitTransport } from "../smtp/support/smtp.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectError, PASSWORD, uniqueEmail } from "./helpers.ts";
import { call, expectOk, folderMessages, queueRows, sendJson } from "./send-helpers.ts";

/**
 * The outbound rule engine (`outbound_send`) on every send path: API send (JSON and raw MIME),
 * draft send, scheduled send and SMTP submission. A block is a 403 (550 5.7.1 on submission) and
 * nothing is stored or delivered; other actions apply to the Sent copy; a failed evaluation is a
 * retryable 503 (451 4.3.0); hosted recipients' inbound rules run on local delivery.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

interface Sender {
  id: string;
  email: string;
}

async function rule(body: Record<string, unknown>): Promise<string> {
  const res = await api(t, "POST", "/v3/rules", { name: "r", trigger: "outbound", ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id;
}

async function governed(ruleIds: string[], prefix = "sender"): Promise<Sender> {
  const policy = await api(t, "POST", "/v3/policies", { name: "p", rules: ruleIds });
  const grant = await createAccount(t, {
    email: uniqueEmail(prefix),
    app_password: PASSWORD,
    policy_id: policy.body.data.id,
  });
  return { id: grant.id, email: grant.email };
}

const toDomain = (value: string) => ({ conditions: [{ field: "recipient.domain", operator: "is", value }] });

async function evaluations(grantId: string): Promise<Record<string, any>[]> {
  return (await api(t, "GET", `/v3/grants/${grantId}/rule-evaluations`)).body.data;
}

async function sentCount(grantId: string): Promise<number> {
  return (await folderMessages(t, grantId, "sent")).length;
}

describe("block", () => {
  let s: Sender;
  let blockId: string;
  beforeAll(async () => {
    blockId = await rule({ match: toDomain("blocked.example"), actions: [{ type: "block" }] });
    s = await governed([blockId]);
  });

  test("API send: 403 in the Nylas envelope, nothing stored or queued, the evaluation recorded", async () => {
    const res = await sendJson(t, s.id, {
      to: [{ email: "ok@fine.example" }],
      bcc: [{ email: "hidden@blocked.example" }],
      subject: "nope",
      body: "x",
    });
    expectError(res, 403, "forbidden", "blocked by rule", blockId);
    expect(await sentCount(s.id)).toBe(0);
    expect(await queueRows(t, s.id)).toHaveLength(0);
    const [e] = await evaluations(s.id);
    expect(e).toMatchObject({
      evaluation_stage: "outbound_send",
      applied_actions: { blocked: true },
      matched_rule_ids: [blockId],
      evaluation_input: {
        from_address: s.email,
        recipient_domains: ["fine.example", "blocked.example"],
        outbound_type: "compose",
      },
    });
    expect(e).not.toHaveProperty("message_id");
    // The daily quota was not taken.
    const ok = await sendJson(t, s.id, { to: [{ email: "ok@fine.example" }], subject: "fine", body: "x" });
    expectOk(ok);
  });

  test("the official SDK sees a NylasApiError with status 403", async () => {
    const nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
    const err = await nylas.messages
      .send({
        identifier: s.id,
        requestBody: { to: [{ email: "x@blocked.example" }], subject: "s", body: "b" },
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(NylasApiError);
    expect((err as NylasApiError).statusCode).toBe(403);
  });

  test("raw MIME send (?type=mime) is checked against the header's recipients too", async () => {
    const form = new FormData();
    const mime = `From: ${s.email}\r\nTo: someone@blocked.example\r\nSubject: raw\r\n\r\nhello\r\n`;
    form.append("mime", new Blob([mime], { type: "message/rfc822" }), "m.eml");
    const res = await call(t, "POST", `/v3/grants/${s.id}/messages/send?type=mime`, { form });
    expectError(res, 403, "forbidden", "blocked");
    expect(await sentCount(s.id)).toBe(1);
  });

  test("draft send: 403 and the draft stays a draft", async () => {
    const draft = expectOk(
      await call(t, "POST", `/v3/grants/${s.id}/drafts`, {
        json: { to: [{ email: "x@blocked.example" }], subject: "draft", body: "d" },
      }),
    );
    const res = await call(t, "POST", `/v3/grants/${s.id}/drafts/${draft.id}`, { json: {} });
    expectError(res, 403, "forbidden", "blocked");
    expect((await folderMessages(t, s.id, "drafts")).map((m) => m.id)).toEqual([draft.id]);
  });

  test("scheduled send: when due, the schedule fails with the reason and nothing is sent", async () => {
    const sendAt = Math.floor(Date.now() / 1000) + 3600;
    const scheduled = await sendJson(t, s.id, {
      to: [{ email: "later@blocked.example" }],
      subject: "later",
      body: "x",
      send_at: sendAt,
    });
    expect(scheduled.status).toBe(202);
    const scheduleId: string = scheduled.body.data.schedule_id;
    await t.server.store.writer.submit((tx) =>
      tx
        .update(scheduledSends)
        .set({ sendAt: sendAt - 7200 })
        .where(eq(scheduledSends.id, scheduleId)),
    );
    await t.server.scheduler.wake();
    const status = await api(t, "GET", `/v3/grants/${s.id}/messages/schedules/${scheduleId}`);
    expect(status.body.data.status.code).toBe("failed");
    expect(status.body.data.status.description).toContain("blocked");
    expect(await sentCount(s.id)).toBe(1);
  });

  test("SMTP submission: 550 5.7.1, nothing stored", async () => {
    const transport = submitTransport(t, "smtps", { id: s.id, email: s.email, password: PASSWORD });
    try {
      const err = await transport
        .sendMail({ from: s.email, to: "x@blocked.example", subject: "smtp", text: "x" })
        .then(
          () => null,
          (e: { responseCode?: number; response?: string }) => e,
        );
      expect(err?.responseCode).toBe(550);
      expect(err?.response).toContain("5.7.1");
    } finally {
      transport.close();
    }
    expect(await sentCount(s.id)).toBe(1);
    const [e] = await evaluations(s.id);
    expect(e).toMatchObject({ evaluation_stage: "outbound_send", applied_actions: { blocked: true } });
  });
});

describe("actions on the Sent copy", () => {
  test("a reply is starred and filed; the record names the Sent copy", async () => {
    const reply = await rule({
      match: { conditions: [{ field: "outbound.type", operator: "is", value: "reply" }] },
      actions: [{ type: "assign_to_folder", value: "Replies" }, { type: "mark_as_starred" }],
    });
    const s = await governed([reply]);
    const made = await api(t, "POST", `/v3/grants/${s.id}/folders`, { name: "Replies" });
    const compose = expectOk(
      await sendJson(t, s.id, { to: [{ email: "a@x.example" }], subject: "new", body: "x" }),
    );
    expect(compose.folders).toEqual(["sent"]);
    const answered = expectOk(
      await sendJson(t, s.id, {
        to: [{ email: "a@x.example" }],
        subject: "Re: new",
        body: "y",
        reply_to_message_id: compose.id,
      }),
    );
    expect(answered.folders).toEqual([made.body.data.id]);
    expect(answered.starred).toBe(true);
    const [e, first] = await evaluations(s.id);
    expect(e).toMatchObject({
      message_id: answered.id,
      evaluation_input: { outbound_type: "reply" },
      applied_actions: { folder_ids: [made.body.data.id], marked_starred: true },
    });
    expect(first).toMatchObject({ message_id: compose.id, applied_actions: {}, matched_rule_ids: [] });
  });
});

describe("hosted recipients' inbound rules", () => {
  test("a recipient whose rules block the sender gets nothing; the sender gets a bounce", async () => {
    const block = await api(t, "POST", "/v3/rules", {
      name: "no alice",
      match: { conditions: [{ field: "from.address", operator: "contains", value: "alice" }] },
      actions: [{ type: "block" }],
    });
    const policy = await api(t, "POST", "/v3/policies", { name: "p", rules: [block.body.data.id] });
    const bob = await createAccount(t, { email: uniqueEmail("bob"), policy_id: policy.body.data.id });
    const alice = await createAccount(t, { email: uniqueEmail("alice") });
    expectOk(await sendJson(t, alice.id, { to: [{ email: bob.email }], subject: "hi bob", body: "x" }));
    expect(await folderMessages(t, bob.id, "inbox")).toHaveLength(0);
    const inbox = await folderMessages(t, alice.id, "inbox");
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.subject).toContain("Undelivered");
    const [e] = await evaluations(bob.id);
    expect(e).toMatchObject({ evaluation_stage: "inbox_processing", applied_actions: { blocked: true } });
  });
});

describe("fail closed", () => {
  test("an evaluation that fails is a 503; nothing is sent", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "l", type: "domain" });
    const id = await rule({
      match: { conditions: [{ field: "recipient.domain", operator: "in_list", value: [list.body.data.id] }] },
      actions: [{ type: "block" }],
    });
    const s = await governed([id]);
    const db = new Database(join(t.dataDir, "agentbox.db"));
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("ALTER TABLE list_items RENAME TO list_items_away");
    try {
      const res = await sendJson(t, s.id, { to: [{ email: "a@x.example" }], subject: "s", body: "b" });
      expectError(res, 503, "api_error", "try again");
    } finally {
      db.exec("ALTER TABLE list_items_away RENAME TO list_items");
      db.close();
    }
    expect(await sentCount(s.id)).toBe(0);
    const [e] = await evaluations(s.id);
    expect(e?.applied_actions).toEqual({ blocked: true, blocked_by_evaluation_error: true });
    expectOk(await sendJson(t, s.id, { to: [{ email: "a@x.example" }], subject: "s", body: "b" }));
  });
});
