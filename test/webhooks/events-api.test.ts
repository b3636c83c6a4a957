import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, createApplication, expectError } from "../api/helpers.ts";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { Receiver, subscribe } from "./receiver.ts";

/** The event log beyond Nylas: GET /v3/events (paging, filters) and GET /v3/events/stream (SSE). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_SSE_HEARTBEAT_MS: "200" });
});
afterAll(() => t.stop());

async function folders(grantId: string, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await t.server.mailboxes.ask(grantId, "createFolder", { name: `${prefix}-${i}` })).id);
  return ids;
}

/** Pages through GET /v3/events with `query`, following next_cursor until has_more is false. */
async function pageAll(
  query: string,
  key?: string,
): Promise<{ events: any[]; pages: number; cursor: string }> {
  const events: any[] = [];
  let after = "0";
  let pages = 0;
  for (;;) {
    const res = await api(t, "GET", `/v3/events?after=${after}&${query}`, undefined, key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    events.push(...res.body.data);
    pages++;
    after = res.body.next_cursor;
    if (!res.body.has_more) return { events, pages, cursor: after };
  }
}

describe("GET /v3/events", () => {
  let grantId: string;
  let folderIds: string[];
  beforeAll(async () => {
    grantId = (await createAccount(t)).id;
    folderIds = await folders(grantId, 7, "paged");
    await deliver(t, grantId, { subject: "logged" });
  });

  test("pages in commit order with next_cursor, no gap and no repeat", async () => {
    const { events, pages } = await pageAll(`grant_id=${grantId}&limit=3`);
    expect(pages).toBe(3);
    expect(events.map((e) => e.type)).toEqual([
      "grant.created",
      ...folderIds.map(() => "folder.created"),
      "message.created",
    ]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(events.slice(1, 8).map((e) => e.data.object.id)).toEqual(folderIds);
    const message = events.at(-1);
    expect(message).toMatchObject({
      specversion: "1.0",
      source: "/nylas/emails/realtime",
      data: { grant_id: grantId },
    });
    expect(message.data.object).toMatchObject({ object: "message", subject: "logged" });
    expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(message).not.toHaveProperty("webhook_delivery_attempt");
  });

  test("types filter (comma list or repeated); the cursor skips what the filter left out", async () => {
    const a = await pageAll(`grant_id=${grantId}&types=message.created,grant.created`);
    expect(a.events.map((e) => e.type)).toEqual(["grant.created", "message.created"]);
    const b = await pageAll(`grant_id=${grantId}&types=grant.created&types=message.created`);
    expect(b.events.map((e) => e.seq)).toEqual(a.events.map((e) => e.seq));
    // Nothing new since: polling from the returned cursor gives an empty page and the same cursor.
    const again = await api(t, "GET", `/v3/events?after=${a.cursor}&grant_id=${grantId}`);
    expect(again.body.data).toEqual([]);
    expect(again.body.next_cursor).toBe(a.cursor);
    expect(again.body.has_more).toBe(false);
    const [newId] = await folders(grantId, 1, "later");
    const later = await api(t, "GET", `/v3/events?after=${a.cursor}&grant_id=${grantId}`);
    expect(later.body.data.map((e: any) => e.data.object.id)).toEqual([newId]);
  });

  test("another application's events are never shown", async () => {
    const other = await createApplication(t, "events isolation");
    const theirs = await createAccount(t, undefined, {}, other.key);
    const mine = await pageAll("limit=200");
    expect(mine.events.some((e) => e.data.grant_id === theirs.id)).toBe(false);
    const theirEvents = await pageAll("limit=200", other.key);
    expect(theirEvents.events.map((e) => e.type)).toEqual(["grant.created"]);
    const filtered = await pageAll(`grant_id=${grantId}`, other.key);
    expect(filtered.events).toEqual([]);
  });

  test("bad parameters are 400s naming them", async () => {
    expectError(await api(t, "GET", "/v3/events?after=-1"), 400, "invalid_request_error", "after");
    expectError(await api(t, "GET", "/v3/events?after=abc"), 400, "invalid_request_error", "after");
    expectError(
      await api(t, "GET", "/v3/events?types=message.exploded"),
      400,
      "invalid_request_error",
      "message.exploded",
    );
    expectError(await api(t, "GET", "/v3/events?limit=0"), 400, "invalid_request_error", "limit");
    expectError(await api(t, "GET", "/v3/events?limit=201"), 400, "invalid_request_error", "limit");
    expectError(await api(t, "GET", "/v3/events", undefined, null), 401, "unauthorized");
  });
});

/** Reads SSE frames from a fetch response body. */
class SseReader {
  private buffer = "";
  private reader: { read(): Promise<{ value?: Uint8Array; done: boolean }>; cancel(): Promise<void> };
  private decoder = new TextDecoder();
  readonly comments: string[] = [];

  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  /** The next `n` events ({id, event, data}), skipping comments. */
  async events(n: number, ms = 5000): Promise<{ id: string; event: string; data: any }[]> {
    const out: { id: string; event: string; data: any }[] = [];
    const deadline = Date.now() + ms;
    while (out.length < n) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of frame.split("\n")) {
          if (line.startsWith(":")) this.comments.push(line);
          const i = line.indexOf(": ");
          if (i > 0 && !line.startsWith(":")) fields[line.slice(0, i)] = line.slice(i + 2);
        }
        if (fields.data) out.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`SSE: ${out.length} of ${n} events in ${ms} ms`);
      const { value, done } = await this.reader.read();
      if (done) throw new Error("SSE stream ended");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
    return out;
  }

  /** Resolves when a heartbeat comment arrives. */
  async heartbeat(): Promise<void> {
    while (!this.comments.some((c) => c.startsWith(": heartbeat"))) {
      const { value, done } = await this.reader.read();
      if (done) throw new Error("SSE stream ended");
      this.buffer += this.decoder.decode(value, { stream: true });
      for (const line of this.buffer.split("\n")) if (line.startsWith(":")) this.comments.push(line);
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function openStream(
  query = "",
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${t.url}/v3/events/stream${query}`, {
    headers: { authorization: `Bearer ${t.apiKey}`, ...headers },
    signal,
  });
}

describe("GET /v3/events/stream", () => {
  test("live events as SSE: id is the seq, event the type, data the envelope", async () => {
    const grantId = (await createAccount(t)).id;
    const res = await openStream(`?grant_id=${grantId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const sse = new SseReader(res);
    const ids = await folders(grantId, 3, "live");
    const events = await sse.events(3);
    expect(events.map((e) => e.event)).toEqual(["folder.created", "folder.created", "folder.created"]);
    expect(events.map((e) => e.data.data.object.id)).toEqual(ids);
    expect(events.map((e) => Number(e.id))).toEqual(events.map((e) => e.data.seq));
    await sse.cancel();
  });

  test("resume after a disconnect with Last-Event-ID: no gap, no duplicate", async () => {
    const grantId = (await createAccount(t)).id;
    const abort = new AbortController();
    const first = new SseReader(await openStream(`?grant_id=${grantId}`, {}, abort.signal));
    const producing = (async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        ids.push(...(await folders(grantId, 1, `s${i}`)));
        if (i % 5 === 0) await Bun.sleep(2);
      }
      return ids;
    })();
    const before = await first.events(12);
    abort.abort(); // the client goes away mid-stream
    const lastId = before.at(-1)!.id;
    const ids = await producing;
    const second = new SseReader(await openStream(`?grant_id=${grantId}`, { "last-event-id": lastId }));
    const rest = await second.events(40 - 12);
    const seen = [...before, ...rest].map((e) => e.data.data.object.id);
    expect(seen).toEqual(ids);
    await second.cancel();
  });

  test("?after= replays from a position; types filters; heartbeats keep an idle stream open", async () => {
    const grantId = (await createAccount(t)).id;
    const res = await openStream(`?after=0&grant_id=${grantId}&types=grant.created`);
    const sse = new SseReader(res);
    const [created] = await sse.events(1);
    expect(created!.event).toBe("grant.created");
    expect(created!.data.data.grant_id).toBe(grantId);
    await sse.heartbeat();
    await sse.cancel();
  });

  test("bad parameters are 400s; the stream needs a key", async () => {
    expectError(await api(t, "GET", "/v3/events/stream?types=nope"), 400, "invalid_request_error", "nope");
    const bad = await openStream("", { "last-event-id": "x" });
    expect(bad.status).toBe(400);
    expectError(await api(t, "GET", "/v3/events/stream", undefined, null), 401, "unauthorized");
  });

  test("shutdown ends open streams (the server does not wait for them)", async () => {
    const own = await startTestServer();
    const res = await fetch(`${own.url}/v3/events/stream`, {
      headers: { authorization: `Bearer ${own.apiKey}` },
    });
    const reader = res.body!.getReader();
    await reader.read();
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    for (;;) if ((await reader.read()).done) break;
  });
});

describe("retention", () => {
  test("the sweep deletes old events, except those an endpoint still needs", async () => {
    const own = await startTestServer({ AGENTBOX_EVENT_RETENTION_DAYS: "0" });
    const grantId = (await createAccount(own)).id;
    const receiver = Receiver.start();
    const hook = await subscribe(own, receiver.url, ["folder.created"]);
    await api(own, "PUT", `/v3/webhooks/${hook.id}`, { status: "pause" });
    for (let i = 0; i < 3; i++)
      await own.server.mailboxes.ask(grantId, "createFolder", { name: `kept-${i}` });
    await Bun.sleep(5);
    await own.server.webhooks.sweep();
    const left = (await api(own, "GET", "/v3/events?limit=200")).body.data;
    // grant.created came before the endpoint existed; the three folders wait for it
    expect(left.map((e: any) => e.type)).toEqual(["folder.created", "folder.created", "folder.created"]);
    await api(own, "PUT", `/v3/webhooks/${hook.id}`, { status: "active" });
    await receiver.waitFor(3);
    await Bun.sleep(300); // the cursor is saved (every 100 ms)
    await own.server.webhooks.sweep();
    expect((await api(own, "GET", "/v3/events?limit=200")).body.data).toEqual([]);
    await own.stop();
    await receiver.stop();
  });
});
