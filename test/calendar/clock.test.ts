import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import { EventClock } from "../../src/calendar/clock.ts";
import type { EventFields } from "../../src/calendar/event-fields.ts";
import { events } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { createAccount } from "../api/helpers.ts";
import { eventFields } from "../support/calendar.ts";
import { insertGrant } from "../support/grant.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { openTempStore, quietLog } from "../support/store.ts";

/** event.starting / event.ending: at the event's time, once, across restarts. */

const T0 = Date.UTC(2026, 9, 1, 8) / 1000;
const fields = (over: Partial<EventFields>): EventFields => eventFields(T0 + 60, T0 + 120, over);

describe("the clock's ticks", () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let mailboxes: Mailboxes;
  beforeEach(async () => {
    ({ store, cleanup } = await openTempStore());
    mailboxes = new Mailboxes(store, new ChangeBus(), quietLog, 60_000);
  });
  afterEach(async () => {
    await mailboxes.shutdown();
    await cleanup();
  });

  const logged = async (grantId: string) =>
    (await store.read.select().from(events).where(eq(events.grantId, grantId)))
      .filter((e) => e.type === "event.starting" || e.type === "event.ending")
      .map((e) => [e.type, JSON.parse(e.objectJson).id]);

  test("each start and end once, occurrences included, cancelled ones never; a new clock (a restart) goes on from the saved instant", async () => {
    const { grantId } = await insertGrant(store);
    const { id: single } = await mailboxes.ask(grantId, "createEvent", {
      calendarId: "primary",
      fields: fields({}),
    });
    const { id: series } = await mailboxes.ask(grantId, "createEvent", {
      calendarId: "primary",
      fields: fields({
        when: { object: "timespan", start_time: T0 + 30, end_time: T0 + 90 },
        recurrence: ["RRULE:FREQ=MINUTELY;INTERVAL=2;COUNT=3"],
      }),
    });
    await mailboxes.ask(grantId, "createEvent", {
      calendarId: "primary",
      fields: fields({ status: "cancelled" }),
    });
    const first = new EventClock(store, quietLog);
    expect(await first.tick(T0)).toBe(0); // the first tick only starts the clock
    expect(await first.tick(T0 + 100)).toBe(3);
    expect(await first.tick(T0 + 100)).toBe(0);
    const restarted = new EventClock(store, quietLog);
    expect(await restarted.tick(T0 + 400)).toBe(5);
    expect(await logged(grantId)).toEqual([
      ["event.starting", `${series}_${T0 + 30}`],
      ["event.starting", single],
      ["event.ending", `${series}_${T0 + 30}`],
      ["event.ending", single],
      ["event.starting", `${series}_${T0 + 150}`],
      ["event.ending", `${series}_${T0 + 150}`],
      ["event.starting", `${series}_${T0 + 270}`],
      ["event.ending", `${series}_${T0 + 270}`],
    ]);
  });
});

describe("in the running server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  test("an event two seconds ahead is announced starting and ending, as its GET shows it", async () => {
    const grant = await createAccount(t);
    const now = Math.floor(Date.now() / 1000);
    const created = await api(t, "POST", `/v3/grants/${grant.id}/events?calendar_id=primary`, {
      title: "Soon",
      when: { start_time: now + 2, end_time: now + 3 },
    });
    expect(created.status).toBe(200);
    const deadline = Date.now() + 10_000;
    let types: string[] = [];
    let objects: any[] = [];
    while (Date.now() < deadline) {
      const res = await api(
        t,
        "GET",
        `/v3/events?after=0&grant_id=${grant.id}&types=event.starting,event.ending`,
      );
      types = res.body.data.map((e: any) => e.type);
      objects = res.body.data.map((e: any) => e.data.object);
      if (types.length >= 2) break;
      await Bun.sleep(200);
    }
    expect(types).toEqual(["event.starting", "event.ending"]);
    expect(objects[0]).toEqual(created.body.data);
  });
});
