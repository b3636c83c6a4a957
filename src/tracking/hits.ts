import { recordEvent } from "../events/outbox.ts";
import type { Tx } from "../store/db.ts";
import type { Store } from "../store/store.ts";

/**
 * Opens and clicks of tracked messages: each is a hit, written with its notification
 * (message.opened, message.link_clicked) in one unit, in Nylas's shapes: the counts so far and
 * the most recent hits.
 */

/** Who opened or clicked, as the HTTP request showed it. */
export interface Hit {
  ip: string | null;
  userAgent: string | null;
  at: number;
}

/**
 * Hits kept per message and kind: past it, further opens (or clicks) are neither stored nor
 * notified (the counts stop there). A token is in every copy of the mail, so whoever holds one
 * could otherwise grow the table without end.
 */
export const MAX_HITS = 10_000;

/**
 * How many recent hits a notification lists (Nylas's `recents`), newest first; `opened_id` and
 * `click_id` number a message's opens and clicks from 0.
 */
const RECENTS = 10;

interface TrackedRow {
  token: string;
  application_id: string;
  grant_id: string | null;
  message_id: string;
  label: string | null;
  opens: number;
  links: number;
  links_json: string;
  created_at: number;
}

interface HitRow {
  id: number;
  link_index: number | null;
  ip: string | null;
  user_agent: string | null;
  at: number;
}

/** The URL a tracked link redirects to, or null (no such token, or no such link). */
export function trackedLinkUrl(store: Store, token: string, index: number): string | null {
  const row = store.read.$client
    .prepare("SELECT links_json FROM tracked_messages WHERE token = ? AND links = 1")
    .get(token) as { links_json: string } | null;
  if (!row) return null;
  const url = (JSON.parse(row.links_json) as string[])[index];
  return typeof url === "string" ? url : null;
}

/** A hit waiting to be written: an open, or a click on link `index`. */
export type PendingHit =
  | { kind: "open"; token: string; hit: Hit }
  | { kind: "click"; token: string; index: number; hit: Hit };

/**
 * Writes hits and their notifications in one unit (one commit for a whole batch: every COMMIT
 * blocks the event loop for its fsync, and the redirects share that loop).
 */
export function recordHits(store: Store, pending: PendingHit[]): Promise<void> {
  return store.writer.submit(async (tx) => {
    for (const p of pending) {
      if (p.kind === "open") await recordOpen(tx, p.token, p.hit);
      else await recordClick(tx, p.token, p.index, p.hit);
    }
  });
}

async function recordOpen(tx: Tx, token: string, hit: Hit): Promise<void> {
  const t = tracked(tx, token);
  if (!t?.opens || hitCount(tx, token, "open") >= MAX_HITS) return;
  insertHit(tx, token, "open", null, hit);
  const opens = hits(tx, token, "open");
  await recordEvent(tx, {
    applicationId: t.application_id,
    grantId: t.grant_id,
    type: "message.opened",
    object: {
      ...common(t, hit),
      message_data: { count: opens.count, timestamp: t.created_at },
      recents: opens.recent.map((h, i) => ({
        opened_id: opens.count - 1 - i,
        timestamp: h.at,
        ...(h.ip !== null && { ip: h.ip }),
        ...(h.user_agent !== null && { user_agent: h.user_agent }),
      })),
    },
  });
}

async function recordClick(tx: Tx, token: string, index: number, hit: Hit): Promise<void> {
  const t = tracked(tx, token);
  if (!t?.links) return;
  const urls = JSON.parse(t.links_json) as string[];
  if (index < 0 || index >= urls.length || hitCount(tx, token, "click") >= MAX_HITS) return;
  insertHit(tx, token, "click", index, hit);
  const clicks = hits(tx, token, "click");
  const perLink = tx.$client
    .prepare(
      "SELECT link_index, COUNT(*) AS n FROM tracking_hits WHERE token = ? AND kind = 'click' GROUP BY link_index",
    )
    .all(token) as { link_index: number; n: number }[];
  const counts = new Map(perLink.map((r) => [r.link_index, r.n]));
  await recordEvent(tx, {
    applicationId: t.application_id,
    grantId: t.grant_id,
    type: "message.link_clicked",
    object: {
      ...common(t, hit),
      link_data: urls.map((url, i) => ({ url, count: counts.get(i) ?? 0 })),
      recents: clicks.recent.map((h, i) => ({
        click_id: String(clicks.count - 1 - i),
        link_index: String(h.link_index),
        timestamp: h.at,
        ...(h.ip !== null && { ip: h.ip }),
        ...(h.user_agent !== null && { user_agent: h.user_agent }),
      })),
    },
  });
}

function common(t: TrackedRow, hit: Hit) {
  return {
    object: "message",
    ...(t.grant_id !== null && { grant_id: t.grant_id }),
    message_id: t.message_id,
    ...(t.label !== null && { label: t.label }),
    sender_app_id: t.application_id,
    timestamp: hit.at,
  };
}

function tracked(tx: Tx, token: string): TrackedRow | null {
  return tx.$client.prepare("SELECT * FROM tracked_messages WHERE token = ?").get(token) as TrackedRow | null;
}

function insertHit(tx: Tx, token: string, kind: "open" | "click", index: number | null, hit: Hit): void {
  tx.$client
    .prepare(
      "INSERT INTO tracking_hits (token, kind, link_index, ip, user_agent, at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(token, kind, index, hit.ip, hit.userAgent, hit.at);
}

function hitCount(tx: Tx, token: string, kind: "open" | "click"): number {
  return (
    tx.$client
      .prepare("SELECT COUNT(*) AS n FROM tracking_hits WHERE token = ? AND kind = ?")
      .get(token, kind) as { n: number }
  ).n;
}

function hits(tx: Tx, token: string, kind: "open" | "click"): { count: number; recent: HitRow[] } {
  const count = hitCount(tx, token, kind);
  const recent = tx.$client
    .prepare(
      "SELECT id, link_index, ip, user_agent, at FROM tracking_hits WHERE token = ? AND kind = ? ORDER BY id DESC LIMIT ?",
    )
    .all(token, kind, RECENTS) as HitRow[];
  return { count, recent };
}
