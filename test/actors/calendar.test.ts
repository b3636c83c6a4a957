import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ChangeBus } from "../../actors/bus.ts";
import { Mailboxes } from "../../actors/mailboxes.ts";
import type { EventFields } from "../../src/calendar/event-fields.ts";
import { getEvent, listEvents } from "../../src/calendar/events.ts";
import { MailboxError } from "../../src/domain/errors.ts";
import { calendarEvents, events } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { eventFields } from "../support/calendar.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore, quietLog } from "../support/store.ts";

/** The calendar commands through Mailboxes: what each writes, refuses and records. */

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

const START = Date.UTC(2026, 0, 5, 9) / 1000;
const fields = (over: Partial<EventFields> = {}): EventFields => eventFields(START, START + 1800, over);

async function logTypes(grantId: string): Promise<string[]> {
  const rows = await store.read.select().from(events).where(eq(events.grantId, grantId));
  return rows.map((r) => r.type).filter((t) => t.startsWith("event.") || t.startsWith("calendar."));
}

describe("calendar commands", () => {
  test("an unknown calendar is not_found; the primary calendar is not deleted", async () => {
    const { grantId } = await insertGrant(store);
    const refused = await mailboxes
      .ask(grantId, "createEvent", { calendarId: "nosuch", fields: fields() })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MailboxError);
    expect((refused as MailboxError).code).toBe("not_found");
    const primary = await mailboxes
      .ask(grantId, "deleteCalendar", { calendarId: "primary" })
      .catch((e: unknown) => e);
    expect((primary as MailboxError).code).toBe("invalid");
    expect(await logTypes(grantId)).toEqual([]);
  });

  test("an update of one occurrence stores an exception under its id; SEQUENCE moves, each change is logged", async () => {
    const { grantId } = await insertGrant(store);
    const { id } = await mailboxes.ask(grantId, "createEvent", {
      calendarId: "primary",
      fields: fields({ recurrence: ["RRULE:FREQ=DAILY;COUNT=3"] }),
    });
    const calendarId = `primary-${grantId}`;
    const second = `${id}_${START + 86_400}`;
    const reply = await mailboxes.ask(grantId, "updateEvent", {
      calendarId,
      eventId: second,
      change: { title: "moved" },
    });
    expect(reply.id).toBe(second);
    const [exception] = await store.read.select().from(calendarEvents).where(eq(calendarEvents.id, second));
    expect(exception).toMatchObject({ masterEventId: id, originalStartTime: START + 86_400, sequence: 1 });
    expect(getEvent(store.read, grantId, calendarId, second)?.fields.title).toBe("moved");
    const shown = listEvents(
      store.read,
      grantId,
      calendarId,
      { showCancelled: false, expandRecurring: true },
      START,
    );
    expect(shown.map((v) => v.fields.title)).toEqual(["t", "moved", "t"]);
    await mailboxes.ask(grantId, "deleteEvent", { calendarId, eventId: id });
    expect(await store.read.select().from(calendarEvents).where(eq(calendarEvents.grantId, grantId))).toEqual(
      [],
    );
    expect(await logTypes(grantId)).toEqual(["event.created", "event.updated", "event.deleted"]);
  });

  test("a refused change in a batch leaves the others committed", async () => {
    const { grantId } = await insertGrant(store);
    const results = await Promise.allSettled([
      mailboxes.ask(grantId, "createEvent", { calendarId: "primary", fields: fields({ title: "a" }) }),
      mailboxes.ask(grantId, "createEvent", { calendarId: "nosuch", fields: fields({ title: "b" }) }),
      mailboxes.ask(grantId, "createEvent", { calendarId: "primary", fields: fields({ title: "c" }) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await store.read.select().from(calendarEvents).where(eq(calendarEvents.grantId, grantId));
    expect(rows.map((r) => r.title).sort()).toEqual(["a", "c"]);
  });
});
