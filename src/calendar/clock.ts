/**
 * event.starting and event.ending (agentbox, beyond Nylas): recorded as each event's start and
 * end pass, occurrences of series included, cancelled events left out. Durable and restart-safe:
 * a tick records everything due since the instant the last one recorded through, and moves that
 * instant, in one transaction; so a restart neither repeats one nor loses one (a server down
 * longer than a day records the last day's only).
 */
import { and, eq, gt, isNotNull, isNull, lte, ne, or } from "drizzle-orm";
import { recordEvent } from "../events/outbox.ts";
import type { Logger } from "../log.ts";
import type { Db, Tx } from "../store/db.ts";
import { calendarClock, calendarEvents, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { occurrenceId, seriesOfRow } from "./events.ts";
import { occurrences } from "./recurrence.ts";

const MAX_CATCH_UP_S = 86_400;
/** How old the saved instant may grow while nothing is due. */
const IDLE_SAVE_S = 60;

interface Moment {
  type: "event.starting" | "event.ending";
  id: string;
  grantId: string;
  calendarId: string;
  masterEventId: string | null;
  at: number;
}

export class EventClock {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly tickMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.tick().catch((err) =>
        this.log.error({ err }, "event clock: a tick failed; the next retries"),
      );
    }, this.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Records what came due through `now` (Unix seconds); answers how many. A tick with nothing due
   * writes nothing (no commit a second on an idle server) until the saved instant is a minute old.
   */
  async tick(now = Math.floor(Date.now() / 1000)): Promise<number> {
    const clock = this.store.read.select().from(calendarClock).get();
    if (
      clock &&
      now - clock.firedThrough < IDLE_SAVE_S &&
      dueMoments(this.store.read, clock.firedThrough, now).length === 0
    )
      return 0;
    return this.store.writer.submit((tx) => recordDue(tx, now));
  }
}

export async function recordDue(tx: Tx, now: number): Promise<number> {
  const clock = tx.select().from(calendarClock).get();
  if (!clock) {
    tx.insert(calendarClock).values({ id: 1, firedThrough: now }).run();
    return 0;
  }
  const from = Math.max(clock.firedThrough, now - MAX_CATCH_UP_S);
  if (now <= from) return 0;
  const moments = dueMoments(tx, from, now).sort((a, b) => a.at - b.at);
  const applications = new Map<string, string | undefined>();
  for (const m of moments) {
    if (!applications.has(m.grantId))
      applications.set(
        m.grantId,
        tx.select({ app: grants.applicationId }).from(grants).where(eq(grants.id, m.grantId)).get()?.app,
      );
    const applicationId = applications.get(m.grantId);
    if (!applicationId) continue;
    await recordEvent(tx, {
      applicationId,
      grantId: m.grantId,
      type: m.type,
      object: {
        id: m.id,
        grant_id: m.grantId,
        calendar_id: m.calendarId,
        object: "event",
        ...(m.masterEventId && { master_event_id: m.masterEventId }),
      },
    });
  }
  tx.update(calendarClock).set({ firedThrough: now }).where(eq(calendarClock.id, 1)).run();
  return moments.length;
}

/** Starts and ends in (from, to]: single events by their indexes, series expanded. */
function dueMoments(tx: Db, from: number, to: number): Moment[] {
  const live = ne(calendarEvents.status, "cancelled");
  const single = (type: Moment["type"]) => {
    const column = type === "event.starting" ? calendarEvents.startAt : calendarEvents.endAt;
    return tx
      .select()
      .from(calendarEvents)
      .where(and(isNull(calendarEvents.recurrenceJson), gt(column, from), lte(column, to), live))
      .all()
      .map((r) => ({
        type,
        id: r.id,
        grantId: r.grantId,
        calendarId: r.calendarId,
        masterEventId: r.masterEventId,
        at: type === "event.starting" ? r.startAt : r.endAt,
      }));
  };
  const moments: Moment[] = [...single("event.starting"), ...single("event.ending")];
  const series = tx
    .select()
    .from(calendarEvents)
    .where(
      and(
        isNotNull(calendarEvents.recurrenceJson),
        lte(calendarEvents.startAt, to),
        or(isNull(calendarEvents.seriesEnd), gt(calendarEvents.seriesEnd, from)),
        live,
      ),
    )
    .all();
  for (const row of series) {
    const duration = row.endAt - row.startAt;
    const exceptions = new Set(
      tx
        .select({ start: calendarEvents.originalStartTime })
        .from(calendarEvents)
        .where(and(isNotNull(calendarEvents.masterEventId), eq(calendarEvents.masterEventId, row.id)))
        .all()
        .map((e) => e.start),
    );
    for (const start of occurrences(seriesOfRow(row), from - duration, to)) {
      if (exceptions.has(start)) continue;
      const base = {
        id: occurrenceId(row.id, start),
        grantId: row.grantId,
        calendarId: row.calendarId,
        masterEventId: row.id,
      };
      if (start > from && start <= to) moments.push({ ...base, type: "event.starting", at: start });
      if (start + duration > from && start + duration <= to)
        moments.push({ ...base, type: "event.ending", at: start + duration });
    }
  }
  return moments;
}
