import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { grants, scheduledSends } from "../../src/store/schema.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { expectError } from "./helpers.ts";
import {
  type Account,
  account,
  call,
  eventsOf,
  expectOk,
  folderMessages,
  headerOf,
  rawOf,
  sendJson,
} from "./send-helpers.ts";

/** Scheduled send: POST /messages/send with send_at, and /messages/schedules (reference §3.3–3.4). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const nowS = () => Math.floor(Date.now() / 1000);
const schedules = (grantId: string, id = "") =>
  `/v3/grants/${grantId}/messages/schedules${id ? `/${encodeURIComponent(id)}` : ""}`;

/** Time passes: the schedule is due now, and the scheduler looks. */
async function makeDue(server: TestServer, scheduleId: string): Promise<void> {
  await server.server.store.writer.submit((tx) =>
    tx
      .update(scheduledSends)
      .set({ sendAt: nowS() - 1 })
      .where(eq(scheduledSends.id, scheduleId)),
  );
  await server.server.scheduler.wake();
}

async function schedule(server: TestServer, from: Account, to: string, extra: Record<string, unknown> = {}) {
  const sendAt = nowS() + 3600;
  const res = await sendJson(server, from.id, {
    to: [{ email: to }],
    subject: "Later",
    body: "<p>see you tomorrow</p>",
    send_at: sendAt,
    ...extra,
  });
  return { sendAt, data: expectOk(res, 202) };
}

describe("errors", () => {
  let a: Account;
  beforeAll(async () => {
    a = await account(t, "sched-err");
  });

  test("send_at more than 30 days ahead is a 400; in the past or within a minute sends now", async () => {
    const res = await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], send_at: nowS() + 31 * 86400 });
    expectError(res, 400, "invalid_request_error", "at most 30 days ahead");
    expect((await call(t, "GET", schedules(a.id))).body.data).toEqual([]);
    expect(
      expectOk(await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], send_at: nowS() - 10 })).folders,
    ).toEqual(["sent"]);
    expect(
      expectOk(await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], send_at: nowS() + 30 })).folders,
    ).toEqual(["sent"]);
  });

  test("an unknown schedule is a 404 to GET and DELETE; so is another account's", async () => {
    expectError(await call(t, "GET", schedules(a.id, "nope")), 404, "not_found_error", "scheduled send nope");
    expectError(await call(t, "DELETE", schedules(a.id, "nope")), 404, "not_found_error");
    const other = await account(t, "sched-other");
    const { data } = await schedule(t, other, "kim@example.com");
    expectError(await call(t, "GET", schedules(a.id, data.schedule_id)), 404, "not_found_error");
    expectError(await call(t, "DELETE", schedules(a.id, data.schedule_id)), 404, "not_found_error");
    expect(expectOk(await call(t, "GET", schedules(other.id, data.schedule_id))).status.code).toBe("pending");
  });
});

describe("a scheduled send between two hosted accounts", () => {
  let a: Account;
  let b: Account;
  let sendAt: number;
  let scheduled: Record<string, any>;
  beforeAll(async () => {
    a = await account(t, "sched-a");
    b = await account(t, "sched-b");
    ({ sendAt, data: scheduled } = await schedule(t, a, b.email, { metadata: { plan: "p1" } }));
  });

  test("the 202 is the message as it will be sent, with its schedule and the id it will have", () => {
    expect(scheduled.object).toBe("message");
    expect(scheduled.id).toMatch(/^[0-9a-z]{25}$/);
    expect(scheduled.schedule_id).toMatch(/^[0-9a-z]{25}$/);
    expect(scheduled.send_at).toBe(sendAt);
    expect(scheduled.date).toBe(sendAt);
    expect(scheduled.subject).toBe("Later");
    expect(scheduled.to).toEqual([{ email: b.email }]);
    expect(scheduled.from).toEqual([{ email: a.email }]);
    expect(scheduled.folders).toEqual([]);
    expect(scheduled.metadata).toEqual({ plan: "p1" });
  });

  test("the pending schedules are a gauge in /metrics", async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const pending = Number(/^agentbox_scheduled_sends_pending (\d+)$/m.exec(text)?.[1]);
    const rows = await t.server.store.read
      .select()
      .from(scheduledSends)
      .where(eq(scheduledSends.status, "pending"));
    expect(pending).toBe(rows.length);
    expect(pending).toBeGreaterThanOrEqual(1);
  });

  test("until then it is pending, and nothing is in Sent or in the recipient's INBOX", async () => {
    const list = expectOk(await call(t, "GET", schedules(a.id)));
    expect(list).toEqual([
      {
        schedule_id: scheduled.schedule_id,
        status: { code: "pending", description: expect.stringContaining("waiting") },
        send_at: sendAt,
        message_id: scheduled.id,
      },
    ]);
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
    expect(await folderMessages(t, b.id, "inbox")).toEqual([]);
  });

  test("when it comes due it is sent once: the Sent copy has the promised id, B has it", async () => {
    await makeDue(t, scheduled.schedule_id);
    await t.server.scheduler.wake(); // a second look sends nothing more
    const sent = await folderMessages(t, a.id, "sent");
    expect(sent.map((m) => m.id)).toEqual([scheduled.id]);
    expect(sent[0]?.metadata).toEqual({ plan: "p1" });
    const inbox = await folderMessages(t, b.id, "inbox");
    expect(inbox.map((m) => m.subject)).toEqual(["Later"]);
    // Composed when scheduled, dated send_at.
    const raw = await rawOf(t, a.id, scheduled.id);
    expect(Date.parse(headerOf(raw, "Date") ?? "") / 1000).toBe(sendAt);
    const after = expectOk(await call(t, "GET", schedules(a.id, scheduled.schedule_id)));
    expect(after.status.code).toBe("sent");
    expect(Math.abs(after.close_time - nowS())).toBeLessThan(10);
    const success = (await eventsOf(t, a.id)).filter((e) => e.type === "message.send_success");
    expect(success.map((e) => JSON.parse(e.objectJson))).toEqual([
      {
        object: "message",
        id: scheduled.id,
        grant_id: a.id,
        schedule_id: scheduled.schedule_id,
        // makeDue moved send_at to now
        send_at: expect.any(Number),
      },
    ]);
  });

  test("a sent schedule can no longer be cancelled", async () => {
    expectError(
      await call(t, "DELETE", schedules(a.id, scheduled.schedule_id)),
      400,
      "invalid_request_error",
      "is sent and can no longer be cancelled",
    );
  });
});

describe("cancelling", () => {
  test("a cancelled schedule never sends; cancelling answers 202 (as Nylas), and again", async () => {
    const a = await account(t, "sched-cancel");
    const b = await account(t, "sched-cancel-b");
    const { data } = await schedule(t, a, b.email);
    const res = expectOk(await call(t, "DELETE", schedules(a.id, data.schedule_id)), 202);
    expect(res.message).toContain("cancelled");
    expect(expectOk(await call(t, "DELETE", schedules(a.id, data.schedule_id)), 202).message).toContain(
      "cancelled",
    );
    await makeDue(t, data.schedule_id);
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
    expect(await folderMessages(t, b.id, "inbox")).toEqual([]);
    const after = expectOk(await call(t, "GET", schedules(a.id, data.schedule_id)));
    expect(after.status.code).toBe("cancelled");
    expect(typeof after.close_time).toBe("number");
    const types = (await eventsOf(t, a.id)).map((e) => e.type);
    expect(types.filter((type) => type.startsWith("message.send_"))).toEqual([]);
  });
});

describe("timing and replays", () => {
  test("the scheduler's own timer sends a schedule when its time comes", async () => {
    const a = await account(t, "sched-timer");
    const { data } = await schedule(t, a, "kim@example.com");
    await t.server.store.writer.submit((tx) =>
      tx
        .update(scheduledSends)
        .set({ sendAt: nowS() + 1 })
        .where(eq(scheduledSends.id, data.schedule_id)),
    );
    await t.server.scheduler.wake(); // re-arms for the new time; nothing is due yet
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
    const until = Date.now() + 5000;
    while ((await folderMessages(t, a.id, "sent")).length === 0 && Date.now() < until) await Bun.sleep(100);
    expect((await folderMessages(t, a.id, "sent")).map((m) => m.id)).toEqual([data.id]);
  });

  test("an Idempotency-Key replay answers the same 202 and schedules nothing more", async () => {
    const a = await account(t, "sched-idem");
    const body = { to: [{ email: "kim@example.com" }], subject: "Once", send_at: nowS() + 600 };
    const first = await sendJson(t, a.id, body, { "idempotency-key": "k1" });
    const replay = await sendJson(t, a.id, body, { "idempotency-key": "k1" });
    expect(expectOk(replay, 202)).toEqual(expectOk(first, 202));
    expect(replay.headers.get("idempotent-response")).toBe("true");
    expect(expectOk(await call(t, "GET", schedules(a.id))).length).toBe(1);
  });
});

describe("failure and restarts", () => {
  test("a send refused when due (the daily quota) closes the schedule as failed, with the reason", async () => {
    const a = await account(t, "sched-quota");
    const { data } = await schedule(t, a, "kim@example.com");
    await t.server.store.writer.submit((tx) =>
      tx.update(grants).set({ dailySendLimit: 0 }).where(eq(grants.id, a.id)),
    );
    await makeDue(t, data.schedule_id);
    const after = expectOk(await call(t, "GET", schedules(a.id, data.schedule_id)));
    expect(after.status.code).toBe("failed");
    expect(after.status.description).toContain("daily send limit");
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
    const types = (await eventsOf(t, a.id)).map((e) => e.type);
    expect(types).toContain("message.send_failed");
    expect(types).not.toContain("message.send_success");
    const failed = (await eventsOf(t, a.id)).find((e) => e.type === "message.send_failed");
    expect(JSON.parse(failed?.objectJson ?? "{}").reason).toContain("daily send limit");
  });

  test("an unexpected error (not a refusal) leaves the schedule pending for another try", async () => {
    const own = await startTestServer();
    try {
      const a = await account(own, "sched-broken");
      const { data } = await schedule(own, a, "kim@example.com");
      await own.server.store.writer.submit((tx) =>
        tx
          .update(scheduledSends)
          .set({ recipientsJson: "{broken" })
          .where(eq(scheduledSends.id, data.schedule_id)),
      );
      await makeDue(own, data.schedule_id);
      await own.server.scheduler.wake();
      expect(expectOk(await call(own, "GET", schedules(a.id, data.schedule_id))).status.code).toBe("pending");
      expect(await folderMessages(own, a.id, "sent")).toEqual([]);
    } finally {
      await own.stop();
    }
  });

  test("a schedule survives a restart and is sent when due by the next process", async () => {
    const first = await startTestServer();
    const a = await account(first, "sched-restart");
    const { data } = await schedule(first, a, "kim@example.com");
    const { dataDir } = first;
    await first.server.stop();
    const restarted = await startTestServer({ AGENTBOX_DATA_DIR: dataDir, AGENTBOX_API_KEY: first.apiKey });
    const second = { ...restarted, apiKey: first.apiKey };
    try {
      expect(expectOk(await call(second, "GET", schedules(a.id, data.schedule_id))).status.code).toBe(
        "pending",
      );
      await makeDue(second, data.schedule_id);
      expect((await folderMessages(second, a.id, "sent")).map((m) => m.id)).toEqual([data.id]);
    } finally {
      await second.stop();
    }
  });
});
