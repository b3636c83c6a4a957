import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { scheduledSends } from "../../src/store/schema.ts";
import { createAccount } from "../api/helpers.ts";
import { deliver } from "../fixtures/mail.ts";
import { type ImapFixture, imapAppend, imapFixture, message } from "../imap/harness.ts";
import { api, type TestServer } from "../support/server.ts";
import { type Delivery, Receiver, subscribe } from "./receiver.ts";

/**
 * A notification's object is its GET: for every event whose object still exists, the webhook's
 * `data.object`, and the events API's, deep-equals the GET of the same object taken right after,
 * whichever surface made the change (the API, ingest, IMAP). The mock payloads have those shapes.
 */

let f: ImapFixture;
let t: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  f = await imapFixture();
  t = f.t;
  receiver = Receiver.start();
  await subscribe(t, receiver.url, [
    "message.created",
    "message.updated",
    "message.send_success",
    "folder.created",
    "folder.updated",
  ]);
});
afterAll(async () => {
  await f.stop();
  await receiver.stop();
});

async function get(path: string): Promise<Record<string, any>> {
  const res = await api(t, "GET", path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

/** The object of the newest `type` event about `id` in GET /v3/events. */
async function logged(grantId: string, type: string, id: string): Promise<unknown> {
  const res = await api(t, "GET", `/v3/events?grant_id=${grantId}&types=${type}&limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.findLast((e: any) => e.data.object.id === id)?.data.object;
}

/**
 * Waits for the `type` notification about `id` (the first one `also` accepts), then compares it,
 * and the events API's object for it, with GET `path` taken right after.
 */
async function expectItsGet(
  grantId: string,
  type: string,
  id: string,
  path: string,
  also: (object: Record<string, any>) => boolean = () => true,
  /** What the notification changes of the GET (a draft is `object: "message"` in notifications). */
  asNotified: (got: Record<string, any>) => Record<string, any> = (got) => got,
): Promise<Record<string, any>> {
  const about = (d: Delivery) =>
    d.body.type === type && d.body.data.object.id === id && also(d.body.data.object);
  const [d] = await receiver.waitFor(1, about);
  const object = d!.body.data.object;
  expect(object).toEqual(asNotified(await get(path)));
  expect(await logged(grantId, type, id)).toEqual(object);
  return object;
}

describe("messages changed over the API and by ingest", () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = (await createAccount(t)).id;
  });
  const messagePath = (id: string) => `/v3/grants/${grantId}/messages/${id}`;

  test("message.created (ingest) is GET /messages/{id}", async () => {
    const { id } = await deliver(t, grantId, { subject: "ingested", text: "hello" });
    await expectItsGet(grantId, "message.created", id, messagePath(id));
  });

  test("message.updated (PUT, then DELETE to Trash) is GET /messages/{id}", async () => {
    const { id } = await deliver(t, grantId, { subject: "to change" });
    await receiver.waitFor(1, (d) => d.body.data.object.id === id);
    expect((await api(t, "PUT", messagePath(id), { starred: true, metadata: { k: "v" } })).status).toBe(200);
    await expectItsGet(grantId, "message.updated", id, messagePath(id), (o) => o.starred);
    expect((await api(t, "DELETE", messagePath(id))).status).toBe(200);
    await expectItsGet(grantId, "message.updated", id, messagePath(id), (o) => o.folders[0] === "trash");
  });

  test("a send: the Sent copy's and the hosted recipient's message.created are their GETs", async () => {
    const recipient = await createAccount(t);
    const res = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
      to: [{ email: recipient.email }],
      subject: "sent and received",
      body: "hello",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sentId = res.body.data.id;
    await expectItsGet(grantId, "message.created", sentId, messagePath(sentId));
    const [received] = await receiver.waitFor(1, (d) => d.body.data.grant_id === recipient.id);
    const receivedId = received!.body.data.object.id;
    await expectItsGet(
      recipient.id,
      "message.created",
      receivedId,
      `/v3/grants/${recipient.id}/messages/${receivedId}`,
    );
  });

  test("a draft's message.created and message.updated are GET /drafts/{id}, but object message", async () => {
    const created = await api(t, "POST", `/v3/grants/${grantId}/drafts`, { subject: "draft one" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    const draftPath = `/v3/grants/${grantId}/drafts/${id}`;
    // Nylas's message.created/updated object is "always message"; the folder says it is a draft.
    const asMessage = (got: Record<string, any>) => ({ ...got, object: "message" });
    await expectItsGet(grantId, "message.created", id, draftPath, () => true, asMessage);
    expect((await api(t, "PUT", draftPath, { subject: "draft two" })).status).toBe(200);
    await expectItsGet(
      grantId,
      "message.updated",
      id,
      draftPath,
      (o) => o.subject === "draft two",
      asMessage,
    );
  });
});

describe("messages changed over IMAP", () => {
  test("APPEND, STORE and MOVE: message.created and message.updated are GET /messages/{id}", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    expect(await imapAppend(c, "a1", "INBOX", message({ subject: "over IMAP" }))).toMatch(/^a1 OK/);
    const [appended] = await receiver.waitFor(1, (d) => d.body.data.grant_id === grantId);
    const id = appended!.body.data.object.id;
    const path = `/v3/grants/${grantId}/messages/${id}`;
    await expectItsGet(grantId, "message.created", id, path);
    await c.ok("s SELECT INBOX");
    await c.ok("a2 STORE 1 +FLAGS (\\Flagged)");
    await expectItsGet(grantId, "message.updated", id, path, (o) => o.starred);
    await c.ok("a3 MOVE 1 Archive");
    await expectItsGet(grantId, "message.updated", id, path, (o) => o.folders[0] === "archive");
  });
});

describe("folders", () => {
  test("created and renamed over the API: folder.created and folder.updated are GET /folders/{id}", async () => {
    const grantId = (await createAccount(t)).id;
    const created = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Receipts" });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    const path = `/v3/grants/${grantId}/folders/${id}`;
    await expectItsGet(grantId, "folder.created", id, path);
    expect((await api(t, "PUT", path, { name: "Invoices", text_color: "#aa0000" })).status).toBe(200);
    await expectItsGet(grantId, "folder.updated", id, path, (o) => o.name === "Invoices");
  });

  test("created and renamed over IMAP: folder.created and folder.updated are GET /folders/{id}", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a1 CREATE Receipts");
    const [created] = await receiver.waitFor(
      1,
      (d) => d.body.type === "folder.created" && d.body.data.grant_id === grantId,
    );
    const id = created!.body.data.object.id;
    const path = `/v3/grants/${grantId}/folders/${id}`;
    await expectItsGet(grantId, "folder.created", id, path);
    await c.ok("a2 RENAME Receipts Invoices");
    await expectItsGet(grantId, "folder.updated", id, path, (o) => o.name === "Invoices");
  });
});

describe("a scheduled send", () => {
  test("message.send_success is GET /messages/{id} of the Sent copy, with the schedule's fields", async () => {
    const grantId = (await createAccount(t)).id;
    const res = await api(t, "POST", `/v3/grants/${grantId}/messages/send`, {
      to: [{ email: "kim@example.com" }],
      subject: "later",
      body: "see you",
      send_at: Math.floor(Date.now() / 1000) + 3600,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const { id, schedule_id } = res.body.data;
    await t.server.store.writer.submit((tx) =>
      tx
        .update(scheduledSends)
        .set({ sendAt: Math.floor(Date.now() / 1000) - 1 })
        .where(eq(scheduledSends.id, schedule_id)),
    );
    await t.server.scheduler.wake();
    const [d] = await receiver.waitFor(
      1,
      (x) => x.body.type === "message.send_success" && x.body.data.object.id === id,
    );
    const object = d!.body.data.object;
    const schedule = await get(`/v3/grants/${grantId}/messages/schedules/${schedule_id}`);
    const sent = await get(`/v3/grants/${grantId}/messages/${id}`);
    expect(object).toEqual({ ...sent, schedule_id, send_at: schedule.send_at });
    expect(await logged(grantId, "message.send_success", id)).toEqual(object);
  });
});

describe("mock payloads", () => {
  async function mockObject(trigger: string): Promise<Record<string, unknown>> {
    const res = await api(t, "POST", "/v3/webhooks/mock-payload", { trigger_type: trigger });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.data.object;
  }
  const fields = (o: object) => Object.keys(o).sort();

  test("message.created/updated and message.send_success mocks have the fields of the real ones", async () => {
    const grantId = (await createAccount(t)).id;
    const { id } = await deliver(t, grantId, { subject: "a real one" });
    const real = await get(`/v3/grants/${grantId}/messages/${id}`);
    expect(fields(await mockObject("message.created"))).toEqual(fields(real));
    expect(fields(await mockObject("message.updated"))).toEqual(fields(real));
    const sent = { ...real, schedule_id: "", send_at: 0 };
    expect(fields(await mockObject("message.send_success"))).toEqual(fields(sent));
  });

  test("folder.created/updated mocks have the fields of GET /folders/{id}", async () => {
    const grantId = (await createAccount(t)).id;
    const real = await get(`/v3/grants/${grantId}/folders/inbox`);
    expect(fields(await mockObject("folder.created"))).toEqual(fields(real));
    expect(fields(await mockObject("folder.updated"))).toEqual(fields(real));
  });
});
