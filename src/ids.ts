import { randomBytes, randomUUID } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

const TIME_CHARS = 9;
const RANDOM_CHARS = 16;

/**
 * A URL-safe, lower-case id (the shape of Nylas message/thread ids): 25 chars. The first 9 are
 * the time in milliseconds (base 36), so ids made together sort together: every index keyed by
 * an id (messages, bodies, threads, events...) then grows at its end, and a commit dirties a few
 * pages instead of one random page per row per index. The other 16 are random (~82 bits).
 */
export function newId(): string {
  let id = Date.now().toString(36).padStart(TIME_CHARS, "0");
  for (const b of randomBytes(RANDOM_CHARS)) id += ALPHABET[b % 36];
  return id;
}

export function newUuid(): string {
  return randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A UUID (version 7) whose string order is its creation order: resources listed by id page in that order. */
export function newTimeUuid(): string {
  return Bun.randomUUIDv7();
}
