import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApplication, expectError, expectRequestId } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { blackHole, Receiver, signedWith, subscribe } from "./receiver.ts";

/** /v3/webhooks management (reference §6.1–6.2): challenge, CRUD, validation, isolation, helpers. */

let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_WEBHOOK_CHALLENGE_TIMEOUT_MS: "300" });
  receiver = Receiver.start();
});
afterAll(async () => {
  await t.stop();
  await receiver.stop();
});

const WEBHOOK_FIELDS = [
  "id",
  "description",
  "trigger_types",
  "webhook_url",
  "status",
  "notification_email_addresses",
  "compressed_delivery",
  "status_updated_at",
  "created_at",
  "updated_at",
];

describe("challenge on create", () => {
  test("an endpoint that echoes the challenge is created active, with its secret", async () => {
    const res = await api(t, "POST", "/v3/webhooks", {
      webhook_url: receiver.url,
      trigger_types: ["message.created"],
      description: "mine",
      notification_email_addresses: ["ops@example.com"],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectRequestId(res);
    const hook = res.body.data;
    for (const f of WEBHOOK_FIELDS) expect(hook).toHaveProperty(f);
    expect(hook).toMatchObject({
      description: "mine",
      trigger_types: ["message.created"],
      webhook_url: receiver.url,
      status: "active",
      notification_email_addresses: ["ops@example.com"],
      compressed_delivery: false,
    });
    expect(hook.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.delivery).toMatchObject({ pending: 0, failed: 0, backlog: 0 });
  });

  test("a wrong answer, an error status, a timeout or a refused connection is a 400 that says why", async () => {
    const wrong = Receiver.start({ challenge: "wrong" });
    const failing = Receiver.start({ challenge: "500" });
    const hanging = Receiver.start({ challenge: "hang" });
    const refused = Receiver.start();
    await refused.stop();
    const create = (url: string) =>
      api(t, "POST", "/v3/webhooks", { webhook_url: url, trigger_types: ["message.created"] });
    expectError(
      await create(wrong.url),
      400,
      "invalid_request_error",
      "verification",
      "not the challenge value",
    );
    expectError(await create(failing.url), 400, "invalid_request_error", "verification", "HTTP 500");
    const started = Date.now();
    expectError(await create(hanging.url), 400, "invalid_request_error", "did not answer within 0.3 s");
    expect(Date.now() - started).toBeLessThan(3000);
    expectError(await create(refused.url), 400, "invalid_request_error", "verification", "failed");
    const list = await api(t, "GET", "/v3/webhooks");
    expect(list.body.data.map((w: any) => w.webhook_url)).not.toContain(wrong.url);
    await Promise.all([wrong.stop(), failing.stop(), hanging.stop()]);
  });

  test("changing webhook_url verifies the new URL", async () => {
    const hook = await subscribe(t, receiver.url, ["folder.created"]);
    const bad = Receiver.start({ challenge: "500" });
    expectError(
      await api(t, "PUT", `/v3/webhooks/${hook.id}`, { webhook_url: bad.url }),
      400,
      "invalid_request_error",
      "HTTP 500",
    );
    const other = Receiver.start();
    const moved = await api(t, "PUT", `/v3/webhooks/${hook.id}`, { webhook_url: other.url });
    expect(moved.status).toBe(200);
    expect(moved.body.data.webhook_url).toBe(other.url);
    await Promise.all([bad.stop(), other.stop()]);
  });
});

describe("CRUD", () => {
  test("list and get never show the secret; PUT changes only what it names; DELETE says success", async () => {
    const hook = await subscribe(t, receiver.url, ["message.created", "folder.created"], {
      description: "a",
    });
    const list = await api(t, "GET", "/v3/webhooks");
    expect(list.status).toBe(200);
    expect(list.body).not.toHaveProperty("next_cursor");
    const listed = list.body.data.find((w: any) => w.id === hook.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty("webhook_secret");

    const got = await api(t, "GET", `/v3/webhooks/${hook.id}`);
    expect(got.body.data).not.toHaveProperty("webhook_secret");
    expect(got.body.data.trigger_types).toEqual(["message.created", "folder.created"]);

    const put = await api(t, "PUT", `/v3/webhooks/${hook.id}`, {
      trigger_types: ["grant.created"],
      compressed_delivery: true,
    });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      trigger_types: ["grant.created"],
      compressed_delivery: true,
      description: "a",
      webhook_url: receiver.url,
      status: "active",
    });
    expect(put.body.data).not.toHaveProperty("webhook_secret");

    const del = await api(t, "DELETE", `/v3/webhooks/${hook.id}`);
    expect(del.status).toBe(200);
    expect(Object.keys(del.body).sort()).toEqual(["data", "request_id"]);
    expect(del.body.data).toEqual({ status: "success" });
    expectError(await api(t, "GET", `/v3/webhooks/${hook.id}`), 404, "not_found_error");
    expectError(await api(t, "DELETE", `/v3/webhooks/${hook.id}`), 404, "not_found_error");
  });

  test("pause and reactivate through PUT status; failing and failed cannot be set", async () => {
    const hook = await subscribe(t, receiver.url, ["message.created"]);
    const paused = await api(t, "PUT", `/v3/webhooks/${hook.id}`, { status: "pause" });
    expect(paused.body.data.status).toBe("pause");
    expect(paused.body.data.status_updated_at).toBeGreaterThanOrEqual(hook.status_updated_at);
    const active = await api(t, "PUT", `/v3/webhooks/${hook.id}`, { status: "active" });
    expect(active.body.data.status).toBe("active");
    for (const status of ["failed", "failing", "paused", 1]) {
      expectError(
        await api(t, "PUT", `/v3/webhooks/${hook.id}`, { status }),
        400,
        "invalid_request_error",
        "status",
      );
    }
  });

  test("rotate-secret returns a new secret once", async () => {
    const hook = await subscribe(t, receiver.url, ["message.created"]);
    const rotated = await api(t, "POST", `/v3/webhooks/rotate-secret/${hook.id}`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.webhook_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.data.webhook_secret).not.toBe(hook.webhook_secret);
    expect(rotated.body.data.id).toBe(hook.id);
    const noBody = await fetch(`${t.url}/v3/webhooks/rotate-secret/${hook.id}`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(noBody.status).toBe(200);
    expectError(await api(t, "POST", "/v3/webhooks/rotate-secret/nope", {}), 404, "not_found_error");
  });
});

describe("validation", () => {
  const create = (body: unknown) => api(t, "POST", "/v3/webhooks", body);

  test("an unknown trigger type is a 400 that names it", async () => {
    expectError(
      await create({ webhook_url: receiver.url, trigger_types: ["message.created", "message.exploded"] }),
      400,
      "invalid_request_error",
      "message.exploded",
    );
    expectError(
      await api(t, "PUT", `/v3/webhooks/${(await subscribe(t, receiver.url, ["message.created"])).id}`, {
        trigger_types: ["nope"],
      }),
      400,
      "invalid_request_error",
      "nope",
    );
  });

  test("every trigger of the reference is accepted", async () => {
    const all = [
      "calendar.created",
      "event.deleted",
      "grant.expired",
      "grant.imap_sync_completed",
      "message.created.truncated",
      "message.send_success",
      "message.bounce_detected",
      "message.opened.legacy",
      "thread.replied",
      "message.delivered",
      "message.complaint",
      "message.transactional.rejected",
      "message.intelligence.tracking",
      "folder.deleted",
      "contact.updated",
      "booking.reminder",
      "notetaker.media",
    ];
    const hook = await subscribe(t, receiver.url, all);
    expect(hook.trigger_types).toEqual(all);
  });

  test("missing or malformed fields are 400s naming the field", async () => {
    expectError(await create({ webhook_url: receiver.url }), 400, "invalid_request_error", "trigger_types");
    expectError(
      await create({ trigger_types: ["message.created"] }),
      400,
      "invalid_request_error",
      "webhook_url",
    );
    expectError(
      await create({ webhook_url: receiver.url, trigger_types: [] }),
      400,
      "invalid_request_error",
      "trigger_types",
    );
    expectError(
      await create({ webhook_url: "ftp://example.com/x", trigger_types: ["message.created"] }),
      400,
      "invalid_request_error",
      "http",
    );
    expectError(
      await create({ webhook_url: "not a url", trigger_types: ["message.created"] }),
      400,
      "invalid_request_error",
      "webhook_url",
    );
    expectError(
      await create({
        webhook_url: receiver.url,
        trigger_types: ["message.created"],
        compressed_delivery: "yes",
      }),
      400,
      "invalid_request_error",
      "compressed_delivery",
    );
    expectError(
      await create({
        webhook_url: receiver.url,
        trigger_types: ["message.created"],
        notification_email_addresses: ["x"],
      }),
      400,
      "invalid_request_error",
      "notification_email_addresses",
    );
    expectError(
      await create({ webhook_url: receiver.url, trigger_types: ["message.created"], color: "red" }),
      400,
      "invalid_request_error",
      "color",
    );
    expectError(await create("[]"), 400, "invalid_request_error");
  });
});

describe("isolation between applications", () => {
  // The second application's receiver is on loopback: this server lets every application reach it.
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS: "all" });
  });
  afterAll(() => open.stop());

  test("another application's webhook is a 404 for every operation, and is not listed", async () => {
    const mine = await subscribe(open, receiver.url, ["message.created"]);
    const other = await createApplication(open, "webhook isolation");
    const theirs = await subscribe(open, receiver.url, ["message.created"], {}, other.key);
    for (const [method, path, body] of [
      ["GET", `/v3/webhooks/${mine.id}`, undefined],
      ["PUT", `/v3/webhooks/${mine.id}`, { description: "x" }],
      ["DELETE", `/v3/webhooks/${mine.id}`, undefined],
      ["POST", `/v3/webhooks/rotate-secret/${mine.id}`, {}],
    ] as const) {
      expectError(await api(open, method, path, body, other.key), 404, "not_found_error");
    }
    const theirList = await api(open, "GET", "/v3/webhooks", undefined, other.key);
    expect(theirList.body.data.map((w: any) => w.id)).toEqual([theirs.id]);
    const myList = await api(open, "GET", "/v3/webhooks");
    expect(myList.body.data.map((w: any) => w.id)).not.toContain(theirs.id);
    expect((await api(open, "GET", `/v3/webhooks/${mine.id}`)).status).toBe(200);
  });
});

describe("helpers", () => {
  test("mock-payload returns an example notification of the trigger", async () => {
    const res = await api(t, "POST", "/v3/webhooks/mock-payload", { trigger_type: "message.created" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      specversion: "1.0",
      type: "message.created",
      source: "/nylas/emails/realtime",
    });
    expect(res.body.data.data.object).toMatchObject({ object: "message" });
    expect(res.body.data.data.object).toHaveProperty("body");
    const truncated = await api(t, "POST", "/v3/webhooks/mock-payload", {
      trigger_type: "message.created.truncated",
    });
    expect(truncated.body.data.data.object).not.toHaveProperty("body");
    const grant = await api(t, "POST", "/v3/webhooks/mock-payload", { trigger_type: "grant.created" });
    expect(grant.body.data.source).toBe("/nylas/system");
    expect(grant.body.data.data.object.code).toBe(25012);
    expectError(
      await api(t, "POST", "/v3/webhooks/mock-payload", { trigger_type: "x.y" }),
      400,
      "invalid_request_error",
      "x.y",
    );
    expectError(
      await api(t, "POST", "/v3/webhooks/mock-payload", {}),
      400,
      "invalid_request_error",
      "trigger_type",
    );
  });

  test("send-test-event posts a mock notification signed with mock-webhook-secret", async () => {
    const target = Receiver.start();
    const res = await api(t, "POST", "/v3/webhooks/send-test-event", {
      trigger_type: "folder.created",
      webhook_url: target.url,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toBe("success");
    const [d] = await target.waitFor(1);
    expect(d!.body.type).toBe("folder.created");
    expect(signedWith(d!, "mock-webhook-secret")).toBe(true);
    target.answer = () => new Response("no", { status: 500 });
    expectError(
      await api(t, "POST", "/v3/webhooks/send-test-event", {
        trigger_type: "folder.created",
        webhook_url: target.url,
      }),
      400,
      "invalid_request_error",
      "HTTP 500",
    );
    await target.stop();
  });

  test("send-test-event to an endpoint that never answers fails after the timeout", async () => {
    const hole = blackHole();
    const fast = await startTestServer({ AGENTBOX_WEBHOOK_TIMEOUT_MS: "200" });
    const res = await api(fast, "POST", "/v3/webhooks/send-test-event", {
      trigger_type: "message.created",
      webhook_url: hole.url,
    });
    expectError(res, 400, "invalid_request_error", "no answer within 200 ms");
    await fast.stop();
    hole.stop();
  });

  test("ip-addresses lists the addresses deliveries come from", async () => {
    const res = await api(t, "GET", "/v3/webhooks/ip-addresses");
    expect(res.status).toBe(200);
    expect(res.body.data.ip_addresses).toContain("127.0.0.1");
    expect(Number.isInteger(res.body.data.updated_at)).toBe(true);
  });

  test("webhooks need an API key", async () => {
    expectError(await api(t, "GET", "/v3/webhooks", undefined, null), 401, "unauthorized");
  });
});
