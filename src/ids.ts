import { randomBytes, randomUUID } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A random, URL-safe, lower-case id (the shape of Nylas message/thread ids): 25 chars, ~129 bits. */
export function newId(): string {
  const bytes = randomBytes(25);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % 36];
  return id;
}

export function newUuid(): string {
  return randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
