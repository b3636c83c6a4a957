import { afterAll, beforeAll, expect, test } from "bun:test";
import { createAccount, createApplication, expectError } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** POST /v3/calendars/availability (beyond-mail §7.5) over the accounts' calendars. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const H = 3600;
const DAY = Date.UTC(2026, 5, 2) / 1000; // Tuesday 2026-06-02 00:00 UTC
const hours = (slots: any[]) =>
  slots.map((s) => [(s.start_time - DAY) / H, (s.end_time - DAY) / H, s.emails]);

async function busy(grantId: string, from: number, to: number) {
  const res = await api(
    t,
    "POST",
    `/v3/grants/${grantId}/events?calendar_id=primary&notify_participants=false`,
    {
      when: { start_time: DAY + from * H, end_time: DAY + to * H },
    },
  );
  expect(res.status).toBe(200);
}

test("collective and max-availability, buffers, interval and open hours", async () => {
  const a = await createAccount(t);
  const b = await createAccount(t);
  await busy(a.id, 10, 11);
  await busy(b.id, 13, 14);
  const ask = (
    extra: Record<string, unknown>,
    participants: unknown[] = [{ email: a.email }, { email: b.email }],
  ) =>
    api(t, "POST", "/v3/calendars/availability", {
      start_time: DAY + 9 * H,
      end_time: DAY + 15 * H,
      duration_minutes: 60,
      participants,
      ...extra,
    });

  const collective = await ask({ availability_rules: { availability_method: "collective" } });
  expect(collective.status, JSON.stringify(collective.body)).toBe(200);
  const both = [a.email, b.email];
  expect(hours(collective.body.data.time_slots)).toEqual([
    [9, 10, both],
    [11, 12, both],
    [12, 13, both],
    [14, 15, both],
  ]);
  expect(collective.body.data.order).toEqual(both);

  const any = await ask({});
  expect(hours(any.body.data.time_slots)).toEqual([
    [9, 10, both],
    [10, 11, [b.email]],
    [11, 12, both],
    [12, 13, both],
    [13, 14, [a.email]],
    [14, 15, both],
  ]);

  const buffered = await ask({
    interval_minutes: 30,
    availability_rules: { availability_method: "collective", buffer: { after: 30 } },
  });
  expect(hours(buffered.body.data.time_slots).map(([s]) => s)).toEqual([9, 11.5, 12]);

  // B is open 09:00–12:00 in New York (13:00–16:00 UTC in June): only 14:00–15:00 UTC is left.
  const open = await ask({ availability_rules: { availability_method: "collective" } }, [
    { email: a.email },
    {
      email: b.email,
      open_hours: [{ days: [2], timezone: "America/New_York", start: "9:00", end: "12:00", exdates: [] }],
    },
  ]);
  expect(hours(open.body.data.time_slots)).toEqual([[14, 15, both]]);
  const closed = await ask({ availability_rules: { availability_method: "collective" } }, [
    {
      email: b.email,
      open_hours: [
        { days: [2], timezone: "America/New_York", start: "9:00", end: "12:00", exdates: ["2026-06-02"] },
      ],
    },
  ]);
  expect(closed.body.data.time_slots).toEqual([]);
});

test("refusals: another application's account, bad times, bad method", async () => {
  const a = await createAccount(t);
  const other = await createApplication(t, "availability other");
  const theirs = await createAccount(t, undefined, {}, other.key);
  const ask = (body: Record<string, unknown>) =>
    api(t, "POST", "/v3/calendars/availability", {
      start_time: DAY,
      end_time: DAY + H,
      duration_minutes: 30,
      participants: [{ email: a.email }],
      ...body,
    });
  expectError(
    await ask({ participants: [{ email: theirs.email }] }),
    400,
    "invalid_request_error",
    "not an account",
  );
  expectError(await ask({ start_time: DAY + 7 }), 400, "invalid_request_error", "start_time");
  expectError(await ask({ duration_minutes: 7 }), 400, "invalid_request_error", "duration_minutes");
  expectError(
    await ask({ availability_rules: { availability_method: "random" } }),
    400,
    "invalid_request_error",
    "method",
  );
  expectError(
    await ask({ availability_rules: { buffer: { before: 125 } } }),
    400,
    "invalid_request_error",
    "buffer",
  );
});
