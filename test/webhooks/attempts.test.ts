import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, createApplication, expectError } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { Receiver, subscribe } from "./receiver.ts";

/** GET /v3/webhooks/{id}/deliveries: every attempt, newest first, paged, the caller's only. */

let t: TestServer;
const receivers: Receiver[] = [];
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_WEBHOOK_RETRY_SCHEDULE_S: "0.1,0.1" });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await t.stop();
});

async function history(hookId: string, query = "", key?: string) {
  return api(t, "GET", `/v3/webhooks/${hookId}/deliveries${query}`, undefined, key);
}

async function eventuallyCount(hookId: string, n: number): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await history(hookId);
    if (res.body.data.length >= n || Date.now() > deadline) return res.body.data;
    await Bun.sleep(50);
  }
}

describe("webhook delivery history", () => {
  test("a 503, then a 200: two attempts with time, latency, status code, outcome and error", async () => {
    const r = Receiver.start({ answer: (_d, n) => (n === 0 ? new Response("busy", { status: 503 }) : null) });
    receivers.push(r);
    const hook = await subscribe(t, r.url, ["folder.created"]);
    expect((await history(hook.id)).body).toMatchObject({ data: [], next_cursor: null });
    const grant = await createAccount(t);
    const before = Date.now();
    await api(t, "POST", `/v3/grants/${grant.id}/folders`, { name: "History" });
    await r.waitFor(2);
    const attempts = await eventuallyCount(hook.id, 2);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status_code, a.error])).toEqual([
      [2, "delivered", 200, null],
      [1, "retry", 503, "HTTP 503"],
    ]);
    const [second, first] = attempts;
    expect(first.notification_id).toBe(second.notification_id);
    expect(first.notification_id).toBe(r.deliveries[0]?.body.id);
    expect(first).toMatchObject({ object: "webhook_delivery_attempt", webhook_id: hook.id });
    expect(first.attempted_at_ms).toBeGreaterThanOrEqual(before - 1000);
    expect(second.attempted_at_ms).toBeGreaterThanOrEqual(first.attempted_at_ms);
    expect(typeof first.duration_ms).toBe("number");

    const page1 = await history(hook.id, "?limit=1");
    expect(page1.body.data.map((a: any) => a.attempt)).toEqual([2]);
    const page2 = await history(hook.id, `?limit=1&page_token=${page1.body.next_cursor}`);
    expect(page2.body.data.map((a: any) => a.attempt)).toEqual([1]);
    expectError(await history(hook.id, "?page_token=nonsense"), 400, "invalid_request_error");
    expectError(await history(hook.id, "?limit=500"), 400, "invalid_request_error");
  });

  test("resend: a failed notification goes again, same id, next attempt number", async () => {
    const r = Receiver.start({ answer: (_d, n) => (n === 0 ? new Response("no", { status: 404 }) : null) });
    receivers.push(r);
    const hook = await subscribe(t, r.url, ["folder.created"]);
    const grant = await createAccount(t);
    await api(t, "POST", `/v3/grants/${grant.id}/folders`, { name: "Resent" });
    const [failed] = await eventuallyCount(hook.id, 1);
    expect(failed).toMatchObject({ attempt: 1, outcome: "failed", status_code: 404 });
    const resend = await api(
      t,
      "POST",
      `/v3/webhooks/${hook.id}/deliveries/${failed.notification_id}/resend`,
      {},
    );
    expect(resend.status, JSON.stringify(resend.body)).toBe(200);
    expect(resend.body.data).toEqual({ notification_id: failed.notification_id, status: "pending" });
    await r.waitFor(2);
    expect(r.deliveries[1]?.body.id).toBe(failed.notification_id);
    expect(r.deliveries[1]?.body.webhook_delivery_attempt).toBe(2);
    const attempts = await eventuallyCount(hook.id, 2);
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [2, "delivered"],
      [1, "failed"],
    ]);
    expectError(
      await api(t, "POST", `/v3/webhooks/${hook.id}/deliveries/no-such-notification/resend`, {}),
      404,
      "not_found_error",
    );
    const other = await createApplication(t, "resend isolation");
    expectError(
      await api(
        t,
        "POST",
        `/v3/webhooks/${hook.id}/deliveries/${failed.notification_id}/resend`,
        {},
        other.key,
      ),
      404,
      "not_found_error",
    );
  });

  test("another application's webhook history is a 404; an unknown webhook too", async () => {
    const r = Receiver.start({});
    receivers.push(r);
    const hook = await subscribe(t, r.url, ["folder.created"]);
    const other = await createApplication(t, "history isolation");
    expectError(await history(hook.id, "", other.key), 404, "not_found_error");
    expectError(await history("no-such-webhook"), 404, "not_found_error");
  });

  test("deleting the webhook deletes its history", async () => {
    const r = Receiver.start({});
    receivers.push(r);
    const hook = await subscribe(t, r.url, ["folder.created"]);
    const grant = await createAccount(t);
    await api(t, "POST", `/v3/grants/${grant.id}/folders`, { name: "Gone" });
    await eventuallyCount(hook.id, 1);
    await api(t, "DELETE", `/v3/webhooks/${hook.id}`);
    const left = t.server.store.read.$client
      .query<{ n: number }, [string]>("SELECT count(*) AS n FROM webhook_attempts WHERE webhook_id = ?")
      .get(hook.id);
    expect(left?.n).toBe(0);
  });
});
