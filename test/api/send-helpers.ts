import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { events, grants, messages, outboundQueue } from "../../src/store/schema.ts";
import type { TestServer } from "../support/server.ts";
import { createAccount, type Reply, uniqueEmail } from "./helpers.ts";

/** Shared by the send and draft suites (test/api/send.test.ts, drafts.test.ts, test/sdk/send-sdk.test.ts). */

export interface Account {
  id: string;
  email: string;
}

export async function account(t: TestServer, prefix = "agent"): Promise<Account> {
  const grant = await createAccount(t, { email: uniqueEmail(prefix) });
  return { id: grant.id, email: grant.email };
}

interface Body {
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

/** Any request with the operator key: a JSON body, a form, and extra headers. */
export async function call(t: TestServer, method: string, path: string, body: Body = {}): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${t.apiKey}`, ...body.headers };
  let payload: string | FormData | undefined;
  if (body.json !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body.form) {
    payload = body.form;
  }
  const res = await fetch(`${t.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

export function sendJson(t: TestServer, grantId: string, json: unknown, headers?: Record<string, string>) {
  return call(t, "POST", `/v3/grants/${grantId}/messages/send`, { json, ...(headers && { headers }) });
}

export function expectOk(res: Reply, status = 200): Record<string, any> {
  expect(res.status, JSON.stringify(res.body).slice(0, 2000)).toBe(status);
  return res.body.data;
}

/** The messages of a folder, newest first. */
export async function folderMessages(t: TestServer, grantId: string, folder: string) {
  const res = await call(t, "GET", `/v3/grants/${grantId}/messages?in=${folder}&limit=200`);
  return expectOk(res) as Record<string, any>[];
}

/** A message's stored bytes, through the API (fields=raw_mime). */
export async function rawOf(t: TestServer, grantId: string, messageId: string): Promise<Buffer> {
  const res = await call(t, "GET", `/v3/grants/${grantId}/messages/${messageId}?fields=raw_mime`);
  return Buffer.from(expectOk(res).raw_mime, "base64url");
}

/** The value of a top-level header in raw bytes (first occurrence, unfolded). */
export function headerOf(raw: Buffer, name: string): string | undefined {
  const head = raw.toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

export function eventsOf(t: TestServer, grantId: string) {
  return t.server.store.read.select().from(events).where(eq(events.grantId, grantId));
}

export async function createdEventIds(t: TestServer, grantId: string): Promise<string[]> {
  const rows = await eventsOf(t, grantId);
  return rows
    .filter((e) => e.type === "message.created")
    .map((e) => (JSON.parse(e.objectJson) as { id: string }).id);
}

export function queueRows(t: TestServer, grantId: string) {
  return t.server.store.read.select().from(outboundQueue).where(eq(outboundQueue.grantId, grantId));
}

export async function messageRow(t: TestServer, grantId: string, id: string) {
  const [row] = await t.server.store.read
    .select()
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.id, id)));
  return row;
}

/** Sets a grant's storage quota before its actor has started (the actor reads it at start). */
export async function setStorageQuota(t: TestServer, grantId: string, bytes: number): Promise<void> {
  await t.server.store.writer.submit((tx) =>
    tx.update(grants).set({ storageQuotaBytes: bytes }).where(eq(grants.id, grantId)),
  );
}

/** Deterministic bytes covering every value 0..255. */
export function pseudoRandomBytes(length: number, seed = 0x12345678): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
