import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, uniqueEmail } from "../api/helpers.ts";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { type Delivery, Receiver, signedWith, subscribe } from "./receiver.ts";

/**
 * Every trigger that exists today fires, signed, with the reference's shape (§6.3), whatever
 * surface made the change (the API here; IMAP and SMTP add their scenarios as they land).
 */

let t: TestServer;
let receiver: Receiver;
let secret: string;
let webhookId: string;

const TRIGGERS = [
  "grant.created",
  "grant.updated",
  "grant.deleted",
  "message.created",
  "message.updated",
  "message.deleted",
  "folder.created",
  "folder.updated",
  "folder.deleted",
];

beforeAll(async () => {
  t = await startTestServer();
  receiver = Receiver.start();
  const hook = await subscribe(t, receiver.url, TRIGGERS);
  secret = hook.webhook_secret;
  webhookId = hook.id;
});
afterAll(async () => {
  await t.stop();
  await receiver.stop();
});

/** The one delivery of `type` about `id` (waits for it), checked for envelope and signature. */
async function one(type: string, match: (d: Delivery) => boolean): Promise<Record<string, any>> {
  const [d] = await receiver.waitFor(1, (x) => x.body.type === type && match(x));
  const envelope = d!.body;
  expect(signedWith(d!, secret)).toBe(true);
  expect(d!.headers.get("content-type")).toBe("application/json");
  expect(envelope.specversion).toBe("1.0");
  expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(envelope.webhook_delivery_attempt).toBe(1);
  expect(Number.isInteger(envelope.seq) && envelope.seq > 0).toBe(true);
  expect(Math.abs(envelope.time - Date.now() / 1000)).toBeLessThan(60);
  return envelope;
}

const objectId = (id: string) => (d: Delivery) => d.body.data.object.id === id;
const grantOf = (id: string) => (d: Delivery) => d.body.data.grant_id === id;

describe("grant triggers (provisioning API)", () => {
  test("grant.created, grant.updated, grant.deleted with the /nylas/system source and codes", async () => {
    const email = uniqueEmail();
    const grant = await createAccount(t, { email });
    expect((await api(t, "PATCH", `/v3/grants/${grant.id}`, { name: "Renamed" })).status).toBe(200);
    expect((await api(t, "DELETE", `/v3/grants/${grant.id}`)).status).toBe(200);

    const appId = (await api(t, "GET", "/v3/applications")).body.data.application_id;
    for (const [type, code] of [
      ["grant.created", 25012],
      ["grant.updated", 25014],
      ["grant.deleted", 25013],
    ] as const) {
      const e = await one(type, grantOf(grant.id));
      expect(e.source).toBe("/nylas/system");
      expect(e.data.application_id).toBe(appId);
      expect(e.data.object).toMatchObject({ code, grant_id: grant.id, provider: "nylas", email });
    }
  });
});

describe("message triggers", () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = (await createAccount(t)).id;
  });

  test("message.created (ingest) carries the full Nylas message, as GET returns it", async () => {
    const reply = await deliver(t, grantId, { subject: "Webhook hello", text: "Body for the webhook" });
    const e = await one("message.created", objectId(reply.id));
    expect(e.source).toBe("/nylas/emails/realtime");
    expect(e.data.grant_id).toBe(grantId);
    const fetched = await api(t, "GET", `/v3/grants/${grantId}/messages/${reply.id}`);
    expect(e.data.object).toEqual(fetched.body.data);
    expect(e.data.object).toMatchObject({
      object: "message",
      subject: "Webhook hello",
      folders: ["inbox"],
      unread: true,
      thread_id: reply.threadId,
    });
    expect(e.data.object.body).toContain("Body for the webhook");
  });

  test("message.updated (PUT) shows the change", async () => {
    const reply = await deliver(t, grantId, { subject: "to star" });
    const put = await api(t, "PUT", `/v3/grants/${grantId}/messages/${reply.id}`, {
      starred: true,
      unread: false,
    });
    expect(put.status).toBe(200);
    const e = await one("message.updated", objectId(reply.id));
    expect(e.data.object).toMatchObject({ object: "message", id: reply.id, starred: true, unread: false });
    expect(typeof e.data.object.body).toBe("string");
  });

  test("DELETE moves to trash (message.updated), DELETE in trash is message.deleted", async () => {
    const reply = await deliver(t, grantId, { subject: "to delete" });
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/messages/${reply.id}`)).status).toBe(200);
    const moved = await one(
      "message.updated",
      (d) => objectId(reply.id)(d) && d.body.data.object.folders[0] === "trash",
    );
    expect(moved.data.object.folders).toEqual(["trash"]);
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/messages/${reply.id}`)).status).toBe(200);
    const gone = await one("message.deleted", objectId(reply.id));
    expect(gone.data.object).toEqual({ id: reply.id, grant_id: grantId, object: "message" });
  });

  test("a message.updated whose message is gone by delivery time carries the recorded object", async () => {
    // Both changes commit before the dispatcher reads either: the update is built after the delete.
    const reply = await deliver(t, grantId, { subject: "short-lived" });
    await Promise.all([
      t.server.mailboxes.ask(grantId, "updateMessage", { messageId: reply.id, flags: { flagged: true } }),
      t.server.mailboxes.ask(grantId, "deleteMessage", { messageId: reply.id, hard: true }),
    ]);
    const e = await one("message.updated", objectId(reply.id));
    expect(e.data.object).toMatchObject({ object: "message", id: reply.id, grant_id: grantId });
    await one("message.deleted", objectId(reply.id));
  });
});

describe("sending and drafts (API)", () => {
  test("a send fires message.created for the Sent copy and for a local recipient's copy", async () => {
    const sender = await createAccount(t);
    const recipient = await createAccount(t);
    const res = await api(t, "POST", `/v3/grants/${sender.id}/messages/send`, {
      to: [{ email: recipient.email }],
      subject: "sent through the API",
      body: "hello",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = await one("message.created", objectId(res.body.data.id));
    expect(sent.data.object).toMatchObject({ folders: ["sent"], subject: "sent through the API" });
    const received = await one("message.created", grantOf(recipient.id));
    expect(received.data.object).toMatchObject({ folders: ["inbox"], subject: "sent through the API" });
  });

  test("a draft fires message.created, its update message.updated: object message, folder drafts (as Nylas)", async () => {
    const grantId = (await createAccount(t)).id;
    const created = await api(t, "POST", `/v3/grants/${grantId}/drafts`, { subject: "draft one" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    const c = await one("message.created", objectId(id));
    expect(c.data.object).toMatchObject({ object: "message", folders: ["drafts"] });
    expect((await api(t, "PUT", `/v3/grants/${grantId}/drafts/${id}`, { subject: "draft two" })).status).toBe(
      200,
    );
    const u = await one("message.updated", objectId(id));
    expect(u.data.object).toMatchObject({ object: "message", folders: ["drafts"], subject: "draft two" });
  });
});

describe("folder triggers (folders API)", () => {
  test("folder.created, folder.updated, folder.deleted", async () => {
    const grantId = (await createAccount(t)).id;
    const created = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Receipts" });
    expect(created.status).toBe(200);
    const id = created.body.data.id;
    // folder.created/updated carry the folder as GET /folders/{id} shows it when delivered: wait
    // for each before the next change, so the object is the one this step made.
    const c = await one("folder.created", objectId(id));
    expect(c.data.object).toEqual({
      object: "folder",
      id,
      grant_id: grantId,
      name: "Receipts",
      system_folder: false,
      attributes: [],
      child_count: 0,
      total_count: 0,
      unread_count: 0,
    });
    expect((await api(t, "PUT", `/v3/grants/${grantId}/folders/${id}`, { name: "Invoices" })).status).toBe(
      200,
    );
    const u = await one("folder.updated", objectId(id));
    expect(u.data.object).toMatchObject({ id, name: "Invoices", object: "folder" });
    expect((await api(t, "DELETE", `/v3/grants/${grantId}/folders/${id}`)).status).toBe(200);
    const d = await one("folder.deleted", objectId(id));
    expect(d.data.object).toMatchObject({ id, object: "folder" });
    expect(c.seq < u.seq && u.seq < d.seq).toBe(true);
  });
});

describe("folder created with colours", () => {
  test("is one change: folder.created with the colours, no folder.updated", async () => {
    const grantId = (await createAccount(t)).id;
    const created = await api(t, "POST", `/v3/grants/${grantId}/folders`, {
      name: "Coloured",
      text_color: "#000000",
      background_color: "#ffcc00",
    });
    const id = created.body.data.id;
    const c = await one("folder.created", objectId(id));
    expect(c.data.object).toMatchObject({ id, text_color: "#000000", background_color: "#ffcc00" });
    const types = (
      await api(t, "GET", `/v3/events?grant_id=${grantId}&types=folder.created,folder.updated`)
    ).body.data.map((e: any) => e.type);
    expect(types).toEqual(["folder.created"]);
  });
});

describe("envelope rules", () => {
  test("notification ids are distinct per event; seq grows in commit order", async () => {
    const seqs = receiver.deliveries.map((d) => d.body.seq);
    expect(new Set(receiver.deliveries.map((d) => d.body.id)).size).toBe(receiver.deliveries.length);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  test("an endpoint only receives its triggers", async () => {
    const narrow = Receiver.start();
    await subscribe(t, narrow.url, ["folder.created"]);
    const grantId = (await createAccount(t)).id;
    await deliver(t, grantId, {});
    const folder = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Only this" });
    await narrow.waitFor(1);
    await Bun.sleep(100);
    expect(narrow.deliveries.map((d) => d.body.type)).toEqual(["folder.created"]);
    expect(narrow.deliveries[0]!.body.data.object.id).toBe(folder.body.data.id);
    await narrow.stop();
  });

  test("the webhook's delivery state shows progress", async () => {
    await Bun.sleep(250); // cursors are saved every 100 ms
    const res = await api(t, "GET", `/v3/webhooks/${webhookId}`);
    expect(res.body.data.delivery).toMatchObject({ backlog: 0, pending: 0, failed: 0, in_flight: 0 });
    expect(res.body.data.delivery.cursor).toBeGreaterThan(0);
    expect(res.body.data.delivery.last_success_at).toBeGreaterThan(0);
  });
});
