import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { listEvents, readRows } from "../../src/calendar/events.ts";
import { createAccount } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/**
 * A list that filters by its window only reads its singles from an index and their rows only
 * for the page shown; any other filter reads rows in full. Both must answer the same events, in
 * the same order, with the same content: moved and cancelled occurrences, all-day events,
 * cancelled singles, pages.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const H = 3600;
const DAY = 86_400;
const START = Date.UTC(2026, 2, 2, 8) / 1000; // Monday 2 March 2026

describe("the window-only list and the general list", () => {
  test("answer the same events, pages and content", async () => {
    const g = await createAccount(t);
    const post = async (body: unknown) => {
      const res = await api(t, "POST", `/v3/grants/${g.id}/events?calendar_id=primary`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data;
    };
    const series = await post({
      title: "Stand-up",
      when: {
        start_time: START,
        end_time: START + 900,
        start_timezone: "Europe/Paris",
        end_timezone: "Europe/Paris",
      },
      recurrence: ["RRULE:FREQ=DAILY;COUNT=40", "EXDATE;TZID=Europe/Paris:20260305T090000"],
      participants: [{ email: "x@example.com" }],
    });
    await post({
      title: "Weekly",
      when: { start_time: START + 2 * H, end_time: START + 3 * H },
      recurrence: ["RRULE:FREQ=WEEKLY"],
    });
    for (let i = 0; i < 30; i++)
      await post({
        title: `Single ${i}`,
        when: { start_time: START + i * 17 * H, end_time: START + i * 17 * H + H },
      });
    await post({ title: "Off", when: { date: "2026-03-10" } });
    await post({ title: "Trip", when: { start_date: "2026-03-12", end_date: "2026-03-14" } });
    const cancelled = await post({
      title: "Dropped",
      when: { start_time: START + 5 * H, end_time: START + 6 * H },
    });
    await api(
      t,
      "DELETE",
      `/v3/grants/${g.id}/events/${cancelled.id}?calendar_id=primary&notify_participants=false`,
    );
    const occurrence = `${series.id}_${START + 4 * DAY}`;
    const moved = await api(
      t,
      "PUT",
      `/v3/grants/${g.id}/events/${occurrence}?calendar_id=primary&notify_participants=false`,
      {
        title: "Stand-up (moved)",
        when: { start_time: START + 4 * DAY + 5 * H, end_time: START + 4 * DAY + 5 * H + 900 },
      },
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const dropped = await api(
      t,
      "DELETE",
      `/v3/grants/${g.id}/events/${series.id}_${START + 6 * DAY}?calendar_id=primary&notify_participants=false`,
    );
    expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);

    const all = async (query: string) => {
      const shown: any[] = [];
      let token: string | null = null;
      do {
        const res = await api(
          t,
          "GET",
          `/v3/grants/${g.id}/events?calendar_id=primary&limit=7&${query}${token ? `&page_token=${token}` : ""}`,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        shown.push(...res.body.data);
        token = res.body.next_cursor ?? null;
      } while (token);
      return shown;
    };
    for (const window of [
      `start=${START}&end=${START + 20 * DAY}`,
      `start=${START + 2 * DAY}&end=${START + 9 * DAY}&show_cancelled=true`,
      `start=${START + DAY}`,
    ]) {
      const fast = await all(window);
      // updated_after=0 matches every event and takes the general path.
      const general = await all(`${window}&updated_after=0`);
      expect(fast.length).toBeGreaterThan(10);
      expect(fast).toEqual(general);
    }
    const withCancelled = await all(`start=${START}&end=${START + 20 * DAY}&show_cancelled=true`);
    expect(
      withCancelled
        .filter((e) => e.status === "cancelled")
        .map((e) => e.title)
        .sort(),
    ).toEqual(["Stand-up"]);
    const shown = await all(`start=${START}&end=${START + 20 * DAY}`);
    expect(shown.some((e) => e.title === "Stand-up (moved)")).toBe(true);
    expect(shown.some((e) => e.status === "cancelled")).toBe(false);
    // 20 days of the daily series: one EXDATE, one moved (renamed), one cancelled.
    expect(shown.filter((e) => e.title === "Stand-up")).toHaveLength(17);
    expect(shown.some((e) => e.title === "Dropped")).toBe(false);
  });

  test("an event deleted after the list was read is left out of its page, not a failure", async () => {
    const g = await createAccount(t);
    const made: any[] = [];
    for (const title of ["kept", "gone"]) {
      const res = await api(t, "POST", `/v3/grants/${g.id}/events?calendar_id=primary`, {
        title,
        when: { start_time: START, end_time: START + H },
      });
      made.push(res.body.data);
    }
    const db = t.server.store.read;
    const filter = { start: START - H, end: START + DAY, showCancelled: false, expandRecurring: true };
    const views = listEvents(db, g.id, made[0].calendar_id, filter, 0);
    expect(views.map((v) => v.id).sort()).toEqual(made.map((e) => e.id).sort());
    await api(t, "DELETE", `/v3/grants/${g.id}/events/${made[1].id}?calendar_id=primary`);
    expect(readRows(db, views).map((v) => v.fields.title)).toEqual(["kept"]);
  });
});
