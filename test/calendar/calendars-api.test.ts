import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas from "nylas";
import { createAccount, createApplication, expectDeleted, expectError } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** /v3/grants/{id}/calendars and /events (reference §5, beyond-mail §7) over the API and the SDK. */

let t: TestServer;
let nylas: Nylas;
beforeAll(async () => {
  t = await startTestServer();
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
});
afterAll(() => t.stop());

const H = 3600;
const DAY = 86_400;
/** Monday 2026-03-02 09:00 in New York (EST, UTC−5). */
const MONDAY_9_NY = Date.UTC(2026, 2, 2, 14) / 1000;

async function eventLog(grantId: string, types: string): Promise<any[]> {
  const res = await api(t, "GET", `/v3/events?after=0&grant_id=${grantId}&types=${types}&limit=200`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

const events = (grantId: string, query: string) => `/v3/grants/${grantId}/events?${query}`;

async function createEvent(grantId: string, body: unknown, calendar = "primary") {
  const res = await api(t, "POST", events(grantId, `calendar_id=${calendar}`), body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

async function list(grantId: string, query: string): Promise<any[]> {
  const res = await api(t, "GET", events(grantId, query));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

describe("calendars", () => {
  test("the primary calendar answers to its id, to primary and to the account's address, and cannot be deleted", async () => {
    const grant = await createAccount(t);
    const { data } = await nylas.calendars.list({ identifier: grant.id });
    expect(data.length).toBe(1);
    const primary = data[0]!;
    expect(primary).toMatchObject({
      object: "calendar",
      isPrimary: true,
      grantId: grant.id,
      readOnly: false,
    });
    for (const alias of ["primary", grant.email, primary.id]) {
      const one = await nylas.calendars.find({ identifier: grant.id, calendarId: alias });
      expect(one.data.id).toBe(primary.id);
    }
    expectError(
      await api(t, "DELETE", `/v3/grants/${grant.id}/calendars/primary`),
      400,
      "invalid_request_error",
      "primary",
    );
    expectError(await api(t, "GET", `/v3/grants/${grant.id}/calendars/nosuch`), 404, "not_found_error");
  });

  test("create, update, delete through the SDK, each with its calendar.* event", async () => {
    const grant = await createAccount(t);
    const created = await nylas.calendars.create({
      identifier: grant.id,
      requestBody: { name: "Team", description: "d", timezone: "Europe/Paris", metadata: { k: "v" } },
    });
    expect(created.data).toMatchObject({
      name: "Team",
      timezone: "Europe/Paris",
      isPrimary: false,
      metadata: { k: "v" },
    });
    const updated = await nylas.calendars.update({
      identifier: grant.id,
      calendarId: created.data.id,
      requestBody: { name: "Team 2", location: "Paris" },
    });
    expect(updated.data).toMatchObject({ name: "Team 2", location: "Paris", description: "d" });
    expectError(
      await api(t, "POST", `/v3/grants/${grant.id}/calendars`, { name: "x", timezone: "Mars/Olympus" }),
      400,
      "invalid_request_error",
      "timezone",
    );
    await createEvent(grant.id, { title: "in team", when: { date: "2026-05-01" } }, created.data.id);
    expectDeleted(await api(t, "DELETE", `/v3/grants/${grant.id}/calendars/${created.data.id}`));
    expectError(
      await api(t, "GET", `/v3/grants/${grant.id}/calendars/${created.data.id}`),
      404,
      "not_found_error",
    );
    const log = await eventLog(grant.id, "calendar.created,calendar.updated,calendar.deleted");
    expect(log.map((e) => e.type)).toEqual(["calendar.created", "calendar.updated", "calendar.deleted"]);
    expect(log[0].data.object).toMatchObject({ id: created.data.id, object: "calendar", grant_id: grant.id });
  });

  test("another application's grant is a 404", async () => {
    const grant = await createAccount(t);
    const other = await createApplication(t, "calendar other");
    expectError(
      await api(t, "GET", `/v3/grants/${grant.id}/calendars`, undefined, other.key),
      404,
      "not_found_error",
    );
    expectError(
      await api(t, "GET", events(grant.id, "calendar_id=primary"), undefined, other.key),
      404,
      "not_found_error",
    );
  });
});

describe("events", () => {
  let grant: Record<string, any>;
  beforeAll(async () => {
    grant = await createAccount(t, undefined, { name: "Agent Smith" });
  });

  test("every when shape round-trips with its object", async () => {
    const shapes = [
      { time: MONDAY_9_NY, timezone: "America/New_York" },
      {
        start_time: MONDAY_9_NY,
        end_time: MONDAY_9_NY + H,
        start_timezone: "America/New_York",
        end_timezone: "America/New_York",
      },
      { start_time: MONDAY_9_NY, end_time: MONDAY_9_NY + H },
      { date: "2026-03-05" },
      { start_date: "2026-03-05", end_date: "2026-03-07" },
    ];
    const objects = ["time", "timespan", "timespan", "date", "datespan"];
    for (const [i, when] of shapes.entries()) {
      const e = await createEvent(grant.id, { title: `shape ${i}`, when });
      expect(e.when).toEqual({ object: objects[i], ...when });
    }
  });

  test("the SDK creates, finds, updates and deletes an event; organizer is the account", async () => {
    const { data: created } = await nylas.events.create({
      identifier: grant.id,
      queryParams: { calendarId: "primary" },
      requestBody: {
        title: "Planning",
        location: "Room 1",
        when: { startTime: MONDAY_9_NY, endTime: MONDAY_9_NY + H },
        // No status: the server's default (noreply) is under test; the SDK's type insists on one.
        participants: [
          { email: "bob@example.com", name: "Bob" } as unknown as { email: string; status: "noreply" },
        ],
        metadata: { project: "x" },
      },
    });
    expect(created).toMatchObject({
      object: "event",
      title: "Planning",
      busy: true,
      status: "confirmed",
      organizer: { email: grant.email, name: "Agent Smith" },
      when: { object: "timespan", startTime: MONDAY_9_NY, endTime: MONDAY_9_NY + H },
    });
    expect(created.participants).toEqual([
      { email: "bob@example.com", name: "Bob", status: "noreply", comment: "", phoneNumber: "" },
    ]);
    expect(created.calendarId).toStartWith("primary-");
    const found = await nylas.events.find({
      identifier: grant.id,
      eventId: created.id,
      queryParams: { calendarId: grant.email },
    });
    expect(found.data.title).toBe("Planning");
    const updated = await nylas.events.update({
      identifier: grant.id,
      eventId: created.id,
      queryParams: { calendarId: "primary" },
      requestBody: { title: "Planning v2" },
    });
    expect(updated.data).toMatchObject({ title: "Planning v2", location: "Room 1" });
    expect((updated.data as any).sequence).toBe(1);
    await nylas.events.destroy({
      identifier: grant.id,
      eventId: created.id,
      queryParams: { calendarId: "primary" },
    });
    expectError(
      await api(t, "GET", `/v3/grants/${grant.id}/events/${created.id}?calendar_id=primary`),
      404,
      "not_found_error",
    );
    const log = (await eventLog(grant.id, "event.created,event.updated,event.deleted")).filter(
      (e) => e.data.object.id === created.id,
    );
    expect(log.map((e) => e.type)).toEqual(["event.created", "event.updated", "event.deleted"]);
    expect(log[2].data.object).toMatchObject({
      id: created.id,
      object: "event",
      calendar_id: created.calendarId,
    });
  });

  test("refusals: no calendar_id, a bad when, a bad zone, a bad rule", async () => {
    expectError(
      await api(t, "GET", `/v3/grants/${grant.id}/events`),
      400,
      "invalid_request_error",
      "calendar_id",
    );
    const post = (body: unknown) => api(t, "POST", events(grant.id, "calendar_id=primary"), body);
    expectError(await post({ title: "x" }), 400, "invalid_request_error", "when");
    expectError(
      await post({ when: { start_time: 10, end_time: 5 } }),
      400,
      "invalid_request_error",
      "end_time",
    );
    expectError(
      await post({ when: { time: 10, timezone: "Nowhere/City" } }),
      400,
      "invalid_request_error",
      "time zone",
    );
    expectError(await post({ when: { date: "2026-13-45" } }), 400, "invalid_request_error", "date");
    expectError(
      await post({ when: { time: 10 }, recurrence: ["RRULE:FREQ=SOMETIMES"] }),
      400,
      "invalid_request_error",
      "RRULE",
    );
    expectError(
      await api(t, "GET", events(grant.id, "calendar_id=nosuch")),
      404,
      "not_found_error",
      "calendar",
    );
  });
});

describe("recurrence", () => {
  test("a weekly 09:00 New York meeting stays at 09:00 across the DST change; EXDATE removes one", async () => {
    const grant = await createAccount(t);
    const master = await createEvent(grant.id, {
      title: "Weekly",
      when: {
        start_time: MONDAY_9_NY,
        end_time: MONDAY_9_NY + H,
        start_timezone: "America/New_York",
        end_timezone: "America/New_York",
      },
      recurrence: ["RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4", "EXDATE;TZID=America/New_York:20260316T090000"],
    });
    const shown = await list(
      grant.id,
      `calendar_id=primary&start=${MONDAY_9_NY - DAY}&end=${MONDAY_9_NY + 60 * DAY}`,
    );
    expect(shown.map((e) => new Date(e.when.start_time * 1000).toISOString())).toEqual([
      "2026-03-02T14:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
      "2026-03-23T13:00:00.000Z",
    ]);
    for (const e of shown) {
      expect(e.master_event_id).toBe(master.id);
      expect(e.when.end_time - e.when.start_time).toBe(H);
      expect(e.id).toBe(`${master.id}_${e.when.start_time}`);
    }
    const unexpanded = await list(grant.id, "calendar_id=primary&expand_recurring=false");
    expect(unexpanded.map((e) => e.id)).toEqual([master.id]);
    expect(unexpanded[0].recurrence).toHaveLength(2);
  });

  test("an exception replaces its occurrence; a deleted occurrence stays away; the series' delete takes them", async () => {
    const grant = await createAccount(t);
    const master = await createEvent(grant.id, {
      title: "Standup",
      when: { start_time: MONDAY_9_NY, end_time: MONDAY_9_NY + 900 },
      recurrence: ["RRULE:FREQ=DAILY;COUNT=5"],
    });
    const window = `calendar_id=primary&start=${MONDAY_9_NY}&end=${MONDAY_9_NY + 10 * DAY}`;
    const [, second, third] = await list(grant.id, window);
    const moved = await api(t, "PUT", `/v3/grants/${grant.id}/events/${second.id}?calendar_id=primary`, {
      title: "Standup (moved)",
      when: { start_time: second.when.start_time + 2 * H, end_time: second.when.start_time + 2 * H + 900 },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data).toMatchObject({
      id: second.id,
      master_event_id: master.id,
      title: "Standup (moved)",
    });
    expectDeleted(await api(t, "DELETE", `/v3/grants/${grant.id}/events/${third.id}?calendar_id=primary`));
    const after = await list(grant.id, window);
    expect(after.map((e) => e.title)).toEqual(["Standup", "Standup (moved)", "Standup", "Standup"]);
    expect(after[1].when.start_time).toBe(second.when.start_time + 2 * H);
    const cancelled = await list(grant.id, `${window}&show_cancelled=true`);
    expect(cancelled.find((e) => e.id === third.id)?.status).toBe("cancelled");
    expect((await list(grant.id, `${window}&master_event_id=${master.id}`)).length).toBe(4);
    const imported = await api(t, "GET", `/v3/grants/${grant.id}/events/import?calendar_id=primary`);
    expect(imported.body.data.map((e: any) => e.id).sort()).toEqual([master.id, second.id, third.id].sort());
    expectDeleted(await api(t, "DELETE", `/v3/grants/${grant.id}/events/${master.id}?calendar_id=primary`));
    expect(await list(grant.id, `${window}&show_cancelled=true`)).toEqual([]);
  });

  test("all-day series: daily dates until a day, with an EXDATE of a date", async () => {
    const grant = await createAccount(t);
    await createEvent(grant.id, {
      title: "Holiday",
      when: { date: "2026-12-24" },
      recurrence: ["RRULE:FREQ=DAILY;UNTIL=20261228", "EXDATE;VALUE=DATE:20261226"],
    });
    const shown = await list(grant.id, "calendar_id=primary&start=0&end=2000000000");
    expect(shown.map((e) => e.when)).toEqual(
      ["2026-12-24", "2026-12-25", "2026-12-27", "2026-12-28"].map((date) => ({ object: "date", date })),
    );
  });

  test("an unending series shows only the window asked for", async () => {
    const grant = await createAccount(t);
    await createEvent(grant.id, {
      title: "Forever",
      when: { time: MONDAY_9_NY },
      recurrence: ["RRULE:FREQ=WEEKLY"],
    });
    const start = MONDAY_9_NY + 365 * DAY;
    const shown = await list(grant.id, `calendar_id=primary&start=${start}&end=${start + 28 * DAY}`);
    expect(shown.length).toBe(4);
  });
});

describe("list filters and pages", () => {
  test("title, location, busy, attendees, metadata_pair, start/end, and page_token", async () => {
    const grant = await createAccount(t);
    const at = (d: number) => ({ start_time: MONDAY_9_NY + d * DAY, end_time: MONDAY_9_NY + d * DAY + H });
    await createEvent(grant.id, {
      title: "Alpha Review",
      location: "Lab",
      when: at(0),
      metadata: { team: "a" },
    });
    await createEvent(grant.id, {
      title: "beta",
      busy: false,
      when: at(1),
      participants: [{ email: "x@example.com" }],
    });
    await createEvent(grant.id, { title: "Gamma review", when: at(2) });
    const q = "calendar_id=primary";
    expect((await list(grant.id, `${q}&title=REVIEW`)).map((e) => e.title)).toEqual([
      "Alpha Review",
      "Gamma review",
    ]);
    expect((await list(grant.id, `${q}&location=lab`)).length).toBe(1);
    expect((await list(grant.id, `${q}&busy=false`)).map((e) => e.title)).toEqual(["beta"]);
    expect((await list(grant.id, `${q}&attendees=X@example.com`)).map((e) => e.title)).toEqual(["beta"]);
    expect((await list(grant.id, `${q}&metadata_pair=team:a`)).map((e) => e.title)).toEqual(["Alpha Review"]);
    const window = `${q}&start=${MONDAY_9_NY + DAY}&end=${MONDAY_9_NY + 2 * DAY + H}`;
    expect((await list(grant.id, window)).map((e) => e.title)).toEqual(["beta", "Gamma review"]);
    const first = await api(t, "GET", events(grant.id, `${q}&limit=2`));
    expect(first.body.data.length).toBe(2);
    const second = await api(t, "GET", events(grant.id, `${q}&limit=2&page_token=${first.body.next_cursor}`));
    expect(second.body.data.map((e: any) => e.title)).toEqual(["Gamma review"]);
    expect(second.body.next_cursor).toBeNull();
  });
});

describe("webhook payloads", () => {
  test("event.created carries the event as GET shows it", async () => {
    const grant = await createAccount(t);
    const e = await createEvent(grant.id, { title: "Hooked", when: { date: "2026-07-01" } });
    const [created] = (await eventLog(grant.id, "event.created")).filter((x) => x.data.object.id === e.id);
    expect(created.data.object).toEqual(e);
    expect(created.source).toBe("/nylas/calendar/realtime");
  });
});
