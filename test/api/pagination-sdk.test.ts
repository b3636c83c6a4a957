import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas, { NylasApiError } from "nylas";
import { buildMail, ingest } from "../fixtures/mail.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createAccount } from "./helpers.ts";

/**
 * 1,000 messages paged through the official SDK (nylas@8.4.0): `for await` follows next_cursor
 * (lib/esm/resources/resource.js listIterator), and when a page comes back short with a cursor the
 * SDK asks for the remaining `limit` with that cursor (fetchList), so cursors must carry the filters.
 */

const TOTAL = 1000;
const BATCH = 100;
const T0 = 1_750_000_000;
const isUnread = (i: number) => i % 7 === 3;

let t: TestServer;
let nylas: Nylas;
let grantId: string;
/** Ids of message i, i = 0 … TOTAL-1; message i was received at T0 + i. */
const ids: string[] = [];
const newestFirst = () => [...ids].reverse();
const unreadNewestFirst = () =>
  ids
    .map((id, i) => [id, i] as const)
    .filter(([, i]) => isUnread(i))
    .map(([id]) => id)
    .reverse();

beforeAll(async () => {
  t = await startTestServer();
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
  grantId = (await createAccount(t)).id;
  // Concurrent appends in batches: the mailbox actor group-commits each batch.
  for (let start = 0; start < TOTAL; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, TOTAL - start) }, (_, k) => start + k);
    const replies = await Promise.all(
      batch.map((i) =>
        ingest(t, grantId, buildMail({ subject: `Message ${i}`, text: `Body of message number ${i}.` }), {
          internalDate: T0 + i,
          flags: { seen: !isUnread(i) },
        }),
      ),
    );
    replies.forEach((r, k) => {
      ids[start + k] = r.id;
    });
  }
}, 60_000);
afterAll(() => t.stop());

/** Every page of an SDK iteration, as arrays of ids. */
async function pages(client: Nylas, queryParams: Record<string, unknown>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const page of client.messages.list({ identifier: grantId, queryParams })) {
    out.push(page.data.map((m) => m.id));
  }
  return out;
}

/**
 * A proxy in front of the server that never returns more than `cap` items per page (as a server
 * with a lower maximum would), so the SDK sees short pages with a cursor and asks for the rest.
 */
function cappingProxy(cap: number) {
  const requests: URLSearchParams[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      requests.push(new URLSearchParams(url.search));
      const limit = Number(url.searchParams.get("limit") ?? 50);
      if (limit > cap) url.searchParams.set("limit", String(cap));
      const res = await fetch(`${t.url}${url.pathname}${url.search}`, {
        method: req.method,
        headers: req.headers,
      });
      return new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

describe("the SDK pages through 1,000 messages", () => {
  test("the fixture: 1,000 distinct messages", () => {
    expect(new Set(ids).size).toBe(TOTAL);
  });

  test("for await with limit 37: every message exactly once, newest first, full pages", async () => {
    const got = await pages(nylas, { limit: 37 });
    expect(got.map((p) => p.length)).toEqual([...Array(27).fill(37), 1]);
    const flat = got.flat();
    expect(new Set(flat).size).toBe(TOTAL);
    expect(flat).toEqual(newestFirst());
  });

  test("with unread: true the pages hold exactly the unread subset (the cursor carries the filter)", async () => {
    const expected = unreadNewestFirst();
    expect(expected.length).toBe(143);
    const got = await pages(nylas, { limit: 37, unread: true });
    expect(got.map((p) => p.length)).toEqual([37, 37, 37, 32]);
    expect(got.flat()).toEqual(expected);
  });

  test("without a limit the server's default page size (50) is used", async () => {
    const got = await pages(nylas, {});
    expect(got).toHaveLength(20);
    expect(got.every((p) => p.length === 50)).toBe(true);
    expect(got.flat()).toEqual(newestFirst());
  });

  test("list() resolves to the first page; next() gives the second", async () => {
    const first = await nylas.messages.list({ identifier: grantId, queryParams: { limit: 200 } });
    expect(first.data.map((m) => m.id)).toEqual(newestFirst().slice(0, 200));
    expect(typeof first.nextCursor).toBe("string");
    const second = await first.next();
    expect(second.value?.data.map((m) => m.id)).toEqual(newestFirst().slice(200, 400));
  });

  test("limit above 200 is a NylasApiError 400", async () => {
    const err = await nylas.messages.list({ identifier: grantId, queryParams: { limit: 201 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NylasApiError);
    expect((err as NylasApiError).statusCode).toBe(400);
  });
});

describe("the SDK's 'remaining' requests (short pages with a cursor)", () => {
  test("each SDK page is filled to limit with limit=remaining&page_token requests", async () => {
    const proxy = cappingProxy(10);
    try {
      const client = new Nylas({ apiKey: t.apiKey, apiUri: proxy.url });
      const first = await client.messages.list({ identifier: grantId, queryParams: { limit: 37 } });
      expect(first.data.map((m) => m.id)).toEqual(newestFirst().slice(0, 37));
      expect(proxy.requests.map((q) => q.get("limit"))).toEqual(["37", "27", "17", "7"]);
      expect(proxy.requests[0]?.has("page_token")).toBe(false);
      expect(proxy.requests.slice(1).every((q) => q.has("page_token"))).toBe(true);

      const got = await pages(client, { limit: 37 });
      expect(got.map((p) => p.length)).toEqual([...Array(27).fill(37), 1]);
      expect(got.flat()).toEqual(newestFirst());
    } finally {
      proxy.stop();
    }
  });

  test("with a filter, the remaining requests keep to it", async () => {
    const proxy = cappingProxy(10);
    try {
      const client = new Nylas({ apiKey: t.apiKey, apiUri: proxy.url });
      const got = await pages(client, { limit: 37, unread: true });
      expect(got.map((p) => p.length)).toEqual([37, 37, 37, 32]);
      expect(got.flat()).toEqual(unreadNewestFirst());
    } finally {
      proxy.stop();
    }
  });
});
