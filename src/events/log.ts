import type { EventRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/**
 * Reads of the event log (the `events` table the transactional outbox writes). `seq` is the log
 * position: commits are serialized by the single writer, so seq order is commit order and a
 * reader never sees a later seq before an earlier one.
 */

interface RawEvent {
  seq: number;
  id: string;
  application_id: string;
  grant_id: string | null;
  type: string;
  object_json: string;
  created_at_ms: number;
}

const COLUMNS = "seq, id, application_id, grant_id, type, object_json, created_at_ms";

function toRow(r: RawEvent): EventRow {
  return {
    seq: r.seq,
    id: r.id,
    applicationId: r.application_id,
    grantId: r.grant_id,
    type: r.type,
    objectJson: r.object_json,
    createdAtMs: r.created_at_ms,
  };
}

/** The newest position in the log (0 when it is empty). */
export function headSeq(store: Store): number {
  const row = store.read.$client.prepare("SELECT max(seq) AS seq FROM events").get() as {
    seq: number | null;
  } | null;
  return row?.seq ?? 0;
}

/** Every application's events after `after`, in order (the webhook dispatcher's tail). */
export function eventsAfter(store: Store, after: number, limit: number): EventRow[] {
  const rows = store.read.$client
    .prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`)
    .all(after, limit) as RawEvent[];
  return rows.map(toRow);
}

export function eventAt(store: Store, seq: number): EventRow | null {
  const row = store.read.$client.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = ?`).get(seq) as
    | RawEvent
    | undefined
    | null;
  return row ? toRow(row) : null;
}

export interface EventQuery {
  applicationId: string;
  /** Exclusive lower bound. */
  after: number;
  /** Inclusive upper bound (a snapshot of the head, so a page and its cursor agree). */
  upTo: number;
  /** Only these types (null: all). */
  types: readonly string[] | null;
  grantId?: string | null;
  limit: number;
}

/** One application's events in (after, upTo], filtered, in order. */
export function queryEvents(store: Store, q: EventQuery): EventRow[] {
  const where = ["application_id = ?", "seq > ?", "seq <= ?"];
  const args: (string | number)[] = [q.applicationId, q.after, q.upTo];
  if (q.types) {
    if (q.types.length === 0) return [];
    where.push(`type IN (${q.types.map(() => "?").join(", ")})`);
    args.push(...q.types);
  }
  if (q.grantId) {
    where.push("grant_id = ?");
    args.push(q.grantId);
  }
  args.push(q.limit);
  const rows = store.read.$client
    .prepare(`SELECT ${COLUMNS} FROM events WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`)
    .all(...args) as RawEvent[];
  return rows.map(toRow);
}

/** How many of an application's events after `after` have one of `types`. */
export function countEvents(
  store: Store,
  applicationId: string,
  after: number,
  types: readonly string[],
): number {
  if (types.length === 0) return 0;
  const marks = types.map(() => "?").join(", ");
  const row = store.read.$client
    .prepare(`SELECT count(*) AS n FROM events WHERE application_id = ? AND seq > ? AND type IN (${marks})`)
    .get(applicationId, after, ...types) as { n: number };
  return row.n;
}
