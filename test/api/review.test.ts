import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapFlow } from "imapflow";
import { ImapClient } from "../imap/harness.ts";
import { submitTransport } from "../smtp/support/smtp.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectError, PASSWORD, uniqueEmail } from "./helpers.ts";
import { expectOk, folderMessages, queueRows, sendJson } from "./send-helpers.ts";

/**
 * hold_for_review (agentbox's own outbound action): the send waits in the account's Review
 * folder, where a person sees it in a mail client; an IMAP MOVE (or an API move) to Outbox
 * releases it through the normal send path, and so does POST …/release; deleting it discards it.
 * The event log (and so webhooks) carries message.held and message.released.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

interface Account {
  id: string;
  email: string;
}

async function reviewed(): Promise<Account> {
  const rule = await api(t, "POST", "/v3/rules", {
    name: "review external mail",
    trigger: "outbound",
    match: { conditions: [{ field: "recipient.domain", operator: "is", value: "external.example" }] },
    actions: [{ type: "hold_for_review" }],
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  const policy = await api(t, "POST", "/v3/policies", { name: "review", rules: [rule.body.data.id] });
  const grant = await createAccount(t, {
    email: uniqueEmail("reviewed"),
    app_password: PASSWORD,
    policy_id: policy.body.data.id,
  });
  return { id: grant.id, email: grant.email };
}

async function folderId(a: Account, name: string): Promise<string> {
  const folders = (await api(t, "GET", `/v3/grants/${a.id}/folders`)).body.data as {
    id: string;
    name: string;
  }[];
  const found = folders.find((f) => f.name === name);
  if (!found) throw new Error(`no folder ${name}: ${folders.map((f) => f.name).join(", ")}`);
  return found.id;
}

async function eventTypes(a: Account): Promise<string[]> {
  const res = await api(
    t,
    "GET",
    `/v3/events?grant_id=${a.id}&types=message.held,message.released&limit=200`,
  );
  return res.body.data.map((e: { type: string }) => e.type);
}

async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

function client(a: Account): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: t.server.ports.imaps,
    secure: true,
    auth: { user: a.email, pass: PASSWORD },
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}

describe("hold", () => {
  test("the send waits in Review: nothing queued, no quota taken, the evaluation and message.held recorded", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: "ceo@external.example" }],
        subject: "please check",
        body: "x",
      }),
    );
    const review = await folderId(a, "Review");
    await folderId(a, "Outbox");
    expect(held.folders).toEqual([review]);
    expect(held.unread).toBe(true);
    expect(await queueRows(t, a.id)).toHaveLength(0);
    expect(await folderMessages(t, a.id, "sent")).toHaveLength(0);
    const [e] = (await api(t, "GET", `/v3/grants/${a.id}/rule-evaluations`)).body.data;
    expect(e).toMatchObject({
      message_id: held.id,
      evaluation_stage: "outbound_send",
      applied_actions: { held_for_review: true, folder_ids: [review] },
    });
    expect(await eventTypes(a)).toEqual(["message.held"]);
    // Mail not matching the rule leaves as usual.
    expectOk(await sendJson(t, a.id, { to: [{ email: "x@internal.example" }], subject: "s", body: "b" }));
    expect(await queueRows(t, a.id)).toHaveLength(1);
  });

  test("SMTP submission: 250 saying it is held", async () => {
    const a = await reviewed();
    const transport = submitTransport(t, "smtps", { ...a, password: PASSWORD });
    try {
      const info = await transport.sendMail({
        from: a.email,
        to: "x@external.example",
        subject: "via smtp",
        text: "t",
      });
      expect(info.response).toContain("held for review");
    } finally {
      transport.close();
    }
    expect((await folderMessages(t, a.id, await folderId(a, "Review"))).map((m) => m.subject)).toEqual([
      "via smtp",
    ]);
  });
});

describe("release", () => {
  test("a person moves it to Outbox over IMAP: it is sent, the Sent copy keeps its id", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: "ceo@external.example" }],
        bcc: [{ email: "audit@external.example" }],
        subject: "needs a look",
        body: "x",
      }),
    );
    const c = client(a);
    await c.connect();
    try {
      const lock = await c.getMailboxLock("Review");
      try {
        const found = await c.search({ subject: "needs a look" });
        const m = found ? found[0] : undefined;
        expect(m).toBeDefined();
        await c.messageMove(String(m), "Outbox");
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
    const sent = await eventually(async () => (await folderMessages(t, a.id, "sent"))[0]);
    expect(sent.id).toBe(held.id);
    expect(sent.subject).toBe("needs a look");
    const rows = await queueRows(t, a.id);
    expect(rows.map((r) => r.rcptTo).sort()).toEqual(["audit@external.example", "ceo@external.example"]);
    expect(await folderMessages(t, a.id, await folderId(a, "Outbox"))).toHaveLength(0);
    expect(await eventTypes(a)).toEqual(["message.held", "message.released"]);
  });

  test("a client without MOVE: COPY into Outbox, then \\Deleted and EXPUNGE in Review, releases it once", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, { to: [{ email: "cfo@external.example" }], subject: "no move", body: "x" }),
    );
    // A second session watches Review while the first releases the message.
    const watcher = client(a);
    await watcher.connect();
    const mover = client(a);
    await mover.connect();
    try {
      await watcher.mailboxOpen("Review");
      const exists = () => (watcher.mailbox ? watcher.mailbox.exists : -1);
      expect(exists()).toBe(1);
      // This session speaks as a client that lacks MOVE: imapflow falls back to COPY + EXPUNGE.
      mover.capabilities.delete("MOVE");
      const lock = await mover.getMailboxLock("Review");
      try {
        const [uid] = (await mover.search({ subject: "no move" }, { uid: true })) || [];
        const moved = await mover.messageMove(String(uid), "Outbox", { uid: true });
        expect(moved).toBeTruthy();
      } finally {
        lock.release();
      }
      const sent = await eventually(async () => (await folderMessages(t, a.id, "sent"))[0]);
      expect(sent.id).toBe(held.id);
      await watcher.noop();
      expect(exists()).toBe(0);
      expect(await watcher.status("Outbox", { messages: true })).toMatchObject({ messages: 0 });
    } finally {
      await mover.logout();
      await watcher.logout();
    }
    expect((await queueRows(t, a.id)).map((r) => r.rcptTo)).toEqual(["cfo@external.example"]);
    expect(await folderMessages(t, a.id, await folderId(a, "Review"))).toHaveLength(0);
    expect(await eventTypes(a)).toEqual(["message.held", "message.released"]);
  });

  test("Thunderbird's sequence on the wire: UID COPY, UID STORE +FLAGS (\\Deleted), UID EXPUNGE", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, { to: [{ email: "cto@external.example" }], subject: "tb", body: "x" }),
    );
    // An ordinary message in Review (not held) is copied as usual: it stays, and a copy appears.
    const c = await ImapClient.connect(t.server.ports.imaps);
    try {
      await c.login(a.email);
      await c.ok("a1 SELECT Review");
      const copy = await c.transact("a2 UID COPY 1 Outbox");
      expect(copy.tagged).toMatch(/^a2 OK \[COPYUID \d+ 1 1\] UID COPY completed$/);
      expect(copy.untagged).toContain("* 1 EXPUNGE");
      expect((await c.transact("a3 UID STORE 1 +FLAGS.SILENT (\\Deleted)")).tagged).toMatch(/^a3 OK/);
      expect((await c.transact("a4 UID EXPUNGE 1")).tagged).toMatch(/^a4 OK/);
    } finally {
      c.close();
    }
    const sent = await eventually(async () => (await folderMessages(t, a.id, "sent"))[0]);
    expect(sent.id).toBe(held.id);
    expect(await queueRows(t, a.id)).toHaveLength(1);
    expect(await eventTypes(a)).toEqual(["message.held", "message.released"]);
  });

  test("COPY of a message that is not held into Outbox is an ordinary copy", async () => {
    const a = await reviewed();
    await sendJson(t, a.id, { to: [{ email: "q@external.example" }], subject: "held", body: "x" });
    const c = await ImapClient.connect(t.server.ports.imaps);
    try {
      await c.login(a.email);
      await c.ok("b1 SELECT INBOX");
      await c.ok("b2 APPEND INBOX {13}\r\nSubject: x\r\n\r\n");
      const copy = await c.transact("b3 UID COPY 1 Outbox");
      expect(copy.tagged).toMatch(/^b3 OK \[COPYUID/);
      expect(copy.untagged).not.toContain("* 1 EXPUNGE");
    } finally {
      c.close();
    }
    expect(await folderMessages(t, a.id, "inbox")).toHaveLength(1);
    expect(await folderMessages(t, a.id, await folderId(a, "Outbox"))).toHaveLength(1);
    expect(await queueRows(t, a.id)).toHaveLength(0);
  });

  test("an API move to Outbox releases it too", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, { to: [{ email: "z@external.example" }], subject: "api", body: "x" }),
    );
    const outbox = await folderId(a, "Outbox");
    expect(
      (await api(t, "PUT", `/v3/grants/${a.id}/messages/${held.id}`, { folders: [outbox] })).status,
    ).toBe(200);
    const sent = await eventually(async () => (await folderMessages(t, a.id, "sent"))[0]);
    expect(sent.id).toBe(held.id);
  });

  test("POST …/release sends it (once); a discarded one is refused", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, { to: [{ email: "y@external.example" }], subject: "agent", body: "x" }),
    );
    const released = await api(t, "POST", `/v3/grants/${a.id}/messages/${held.id}/release`);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.data).toMatchObject({ id: held.id, folders: ["sent"] });
    expect(await queueRows(t, a.id)).toHaveLength(1);
    expectError(
      await api(t, "POST", `/v3/grants/${a.id}/messages/${held.id}/release`),
      404,
      "not_found_error",
    );

    const discarded = expectOk(
      await sendJson(t, a.id, { to: [{ email: "y@external.example" }], subject: "drop me", body: "x" }),
    );
    expect((await api(t, "DELETE", `/v3/grants/${a.id}/messages/${discarded.id}`)).status).toBe(200);
    expectError(
      await api(t, "POST", `/v3/grants/${a.id}/messages/${discarded.id}/release`),
      409,
      "conflict",
      "discarded",
    );
    expect(await queueRows(t, a.id)).toHaveLength(1);
  });

  test("another application cannot release it", async () => {
    const a = await reviewed();
    const held = expectOk(
      await sendJson(t, a.id, { to: [{ email: "y@external.example" }], subject: "mine", body: "x" }),
    );
    const app = await api(t, "POST", "/v3/admin/applications", { name: "other" });
    const key = await api(t, "POST", "/v3/admin/api-keys", { application_id: app.body.data.id, name: "k" });
    const res = await api(
      t,
      "POST",
      `/v3/grants/${a.id}/messages/${held.id}/release`,
      undefined,
      key.body.data.api_key,
    );
    expectError(res, 404, "not_found_error");
  });
});
