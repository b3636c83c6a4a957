/** A grant's calendars, as the API and the actor read them. */
import { and, asc, eq, sql } from "drizzle-orm";
import { compiledOn } from "../store/compiled-reads.ts";
import type { Db } from "../store/db.ts";
import { type CalendarRow, calendars, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** A calendar and the address of the account that owns it. */
export interface CalendarView {
  row: CalendarRow;
  ownerEmail: string;
}

/** Compiled once per connection: every events call names its calendar. */
const reads = compiledOn((db) => ({
  owner: db
    .select({ email: grants.email })
    .from(grants)
    .where(eq(grants.id, sql.placeholder("grantId")))
    .prepare(),
  primary: db
    .select()
    .from(calendars)
    .where(and(eq(calendars.grantId, sql.placeholder("grantId")), eq(calendars.isPrimary, true)))
    .prepare(),
  byId: db
    .select()
    .from(calendars)
    .where(and(eq(calendars.grantId, sql.placeholder("grantId")), eq(calendars.id, sql.placeholder("id"))))
    .prepare(),
}));

function ownerOf(db: Db, grantId: string): string {
  return reads(db).owner.get({ grantId })?.email ?? "";
}

export function listCalendars(store: Store, grantId: string): CalendarView[] {
  const ownerEmail = ownerOf(store.read, grantId);
  return store.read
    .select()
    .from(calendars)
    .where(eq(calendars.grantId, grantId))
    .orderBy(asc(calendars.createdAt), asc(calendars.id))
    .all()
    .map((row) => ({ row, ownerEmail }));
}

/**
 * A calendar by id, or the primary calendar by `primary` or by the account's email address
 * (Agent Accounts' alias); null when the grant has no such calendar.
 */
export function findCalendar(db: Db, grantId: string, idOrAlias: string): CalendarView | null {
  const ownerEmail = ownerOf(db, grantId);
  const primary = idOrAlias === "primary" || idOrAlias.toLowerCase() === ownerEmail.toLowerCase();
  const row = primary ? reads(db).primary.get({ grantId }) : reads(db).byId.get({ grantId, id: idOrAlias });
  return row ? { row, ownerEmail } : null;
}

/** Whether any grant has a calendar with this id (a CalDAV client names the calendar it makes). */
export function findCalendarAnywhere(db: Db, id: string): boolean {
  return db.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, id)).get() !== undefined;
}
