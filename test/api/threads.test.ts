import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type IngestOptions, type MailSpec } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectDeleted, expectError } from "./helpers.ts";

/** Threading by Message-ID/In-Reply-To/References and /v3/grants/{id}/threads (reference §4.2). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const T0 = 1_750_000_000;
const DAY = 24 * 3600;

const threads = (grantId: string, rest = "") => `/v3/grants/${grantId}/threads${rest}`;
const newGrant = async (): Promise<string> => (await createAccount(t)).id;
const get = (path: string) => api(t, "GET", path);
const thread = async (grantId: string, id: string): Promise<Record<string, any>> => {
  const res = await get(threads(grantId, `/${id}`));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
};

/** 200 and the thread ids of a list, in order. */
async function listIds(grantId: string, query = ""): Promise<string[]> {
  const res = await get(threads(grantId, query ? `?${query}` : ""));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.map((th: { id: string }) => th.id);
}

const send = (grantId: string, spec: MailSpec, opts: IngestOptions = {}) => deliver(t, grantId, spec, opts);

/** A root, its reply and the reply to that, linked the way mail clients link them. */
const conversation = (tag: string): [MailSpec, MailSpec, MailSpec] => [
  {
    subject: "Dinner Wednesday?",
    messageId: `${tag}-a@example.com`,
    from: "Alice <alice@example.com>",
    to: "bob@example.net",
  },
  {
    subject: "Re: Dinner Wednesday?",
    messageId: `${tag}-b@example.net`,
    inReplyTo: `${tag}-a@example.com`,
    references: [`${tag}-a@example.com`],
    from: "Bob <bob@example.net>",
    to: "alice@example.com",
  },
  {
    subject: "Re: Re: Dinner Wednesday?",
    messageId: `${tag}-c@example.com`,
    inReplyTo: `${tag}-b@example.net`,
    references: [`${tag}-a@example.com`, `${tag}-b@example.net`],
    from: "Alice <alice@example.com>",
    to: "bob@example.net",
    cc: "carol@example.org",
  },
];

describe("errors", () => {
  test("unknown thread, another grant's thread, unknown grant: 404", async () => {
    const mine = await newGrant();
    const other = await newGrant();
    const { threadId } = await send(other, {});
    expectError(await get(threads(mine, "/nosuchthread")), 404, "not_found_error");
    expectError(await get(threads(mine, `/${threadId}`)), 404, "not_found_error");
    expectError(
      await api(t, "PUT", threads(mine, `/${threadId}`), { unread: false }),
      404,
      "not_found_error",
    );
    expectError(await api(t, "DELETE", threads(mine, `/${threadId}`)), 404, "not_found_error");
    expectError(await get(threads(crypto.randomUUID())), 404, "not_found_error");
    expect((await thread(other, threadId)).unread).toBe(true);
  });

  test("bad limit, page_token, filter values: 400", async () => {
    const grantId = await newGrant();
    for (const q of ["limit=0", "limit=201", "unread=maybe", "search_query_native=%22open"]) {
      expectError(await get(threads(grantId, `?${q}`)), 400, "invalid_request_error");
    }
    for (const token of ["garbage!!", Buffer.from("{}").toString("base64url")]) {
      expectError(
        await get(threads(grantId, `?page_token=${token}`)),
        400,
        "invalid_request_error",
        "page_token",
      );
    }
  });

  test("PUT: empty body, unknown field, bad folders: 400; unknown folder: 404", async () => {
    const grantId = await newGrant();
    const { threadId } = await send(grantId, {});
    const put = (body: unknown) => api(t, "PUT", threads(grantId, `/${threadId}`), body);
    expectError(await put({ unread: false, label: "x" }), 400, "invalid_request_error", "label");
    expectError(await put({ folders: ["inbox", "archive"] }), 400, "invalid_request_error", "folders");
    expectError(await put({ unread: "no" }), 400, "invalid_request_error", "unread");
    expectError(await put({ folders: ["nosuchfolder"] }), 404, "not_found_error");
    expectError(await put({}), 400, "invalid_request_error");
    expect((await thread(grantId, threadId)).folders).toEqual(["inbox"]);
  });
});

describe("threading", () => {
  test("a conversation of three lands in one thread; an unrelated message in another", async () => {
    const grantId = await newGrant();
    const [a, b, c] = conversation("conv");
    const ra = await send(grantId, a, { internalDate: T0 });
    const rb = await send(grantId, b, { internalDate: T0 + 60 });
    const rc = await send(grantId, c, { internalDate: T0 + 120 });
    const other = await send(grantId, { subject: "Something else" }, { internalDate: T0 + 30 });
    expect(rb.threadId).toBe(ra.threadId);
    expect(rc.threadId).toBe(ra.threadId);
    expect(other.threadId).not.toBe(ra.threadId);
    expect((await thread(grantId, ra.threadId)).message_ids).toEqual([ra.id, rb.id, rc.id]);
  });

  test("replies that arrive before their parent still join it", async () => {
    const grantId = await newGrant();
    const [a, b, c] = conversation("rev");
    const rc = await send(grantId, c, { internalDate: T0 + 120 });
    const rb = await send(grantId, b, { internalDate: T0 + 60 });
    const ra = await send(grantId, a, { internalDate: T0 });
    expect(new Set([ra.threadId, rb.threadId, rc.threadId]).size).toBe(1);
    expect((await thread(grantId, ra.threadId)).message_ids).toEqual([ra.id, rb.id, rc.id]);
  });

  test("a root that arrives after a grandchild referencing it (References only) joins its thread", async () => {
    const grantId = await newGrant();
    const [a, b, c] = conversation("grand");
    const rc = await send(grantId, c, { internalDate: T0 + 120 });
    const ra = await send(grantId, a, { internalDate: T0 });
    const rb = await send(grantId, b, { internalDate: T0 + 60 });
    expect(ra.threadId).toBe(rc.threadId);
    expect(rb.threadId).toBe(rc.threadId);
  });

  test("a root arriving after its reply joins it when the reply was stored by an earlier actor", async () => {
    const grantId = await newGrant();
    const [a, b] = conversation("restart");
    const rb = await send(grantId, b, { internalDate: T0 + 60 });
    // The grant's actor stops; the next one loads what it knows (that a message referred to
    // another) from disk.
    await t.server.mailboxes.remove(grantId);
    const ra = await send(grantId, a, { internalDate: T0 });
    expect(ra.threadId).toBe(rb.threadId);
  });

  test("by subject: a reply prefix within the window joins; no prefix, or too late, does not", async () => {
    const grantId = await newGrant();
    const root = await send(grantId, { subject: "Budget 2026" }, { internalDate: T0 });
    const re = await send(grantId, { subject: "RE: budget  2026" }, { internalDate: T0 + 3 * DAY });
    const fwd = await send(grantId, { subject: "Fwd: Budget 2026" }, { internalDate: T0 + 4 * DAY });
    const plain = await send(grantId, { subject: "Budget 2026" }, { internalDate: T0 + 4 * DAY });
    const late = await send(grantId, { subject: "Re: Budget 2026" }, { internalDate: T0 + 30 * DAY });
    const otherSubject = await send(grantId, { subject: "Re: Budget 2027" }, { internalDate: T0 + DAY });
    expect(re.threadId).toBe(root.threadId);
    expect(fwd.threadId).toBe(root.threadId);
    expect(plain.threadId).not.toBe(root.threadId);
    expect(late.threadId).not.toBe(root.threadId);
    expect(otherSubject.threadId).not.toBe(root.threadId);
  });

  test("threads are per grant: the same Message-IDs in two grants make two threads", async () => {
    const one = await newGrant();
    const two = await newGrant();
    const [a, b] = conversation("split");
    const a1 = await send(one, a);
    const b2 = await send(two, b);
    expect(b2.threadId).not.toBe(a1.threadId);
    expect((await thread(two, b2.threadId)).message_ids).toEqual([b2.id]);
  });
});

describe("the thread object", () => {
  let grantId: string;
  let ids: string[];
  let threadId: string;
  beforeAll(async () => {
    grantId = await newGrant();
    const [a, b, c] = conversation("shape");
    const ra = await send(
      grantId,
      { ...a, text: "Are you free Wednesday?" },
      { internalDate: T0, flags: { seen: true } },
    );
    const rb = await send(
      grantId,
      { ...b, text: "Yes, 7pm works." },
      { internalDate: T0 + 60, flags: { seen: true } },
    );
    const rc = await send(
      grantId,
      {
        ...c,
        text: "Booked the table, see attached.",
        attachments: [
          { filename: "booking.pdf", contentType: "application/pdf", content: Buffer.from("%PDF") },
        ],
      },
      { internalDate: T0 + 120, folderId: "archive", flags: { flagged: true } },
    );
    ids = [ra.id, rb.id, rc.id];
    threadId = ra.threadId;
  });

  test("fields derived from its messages", async () => {
    const th = await thread(grantId, threadId);
    expect(th).toMatchObject({
      object: "thread",
      id: threadId,
      grant_id: grantId,
      subject: "Dinner Wednesday?",
      message_ids: ids,
      draft_ids: [],
      has_drafts: false,
      has_attachments: true,
      unread: true,
      starred: true,
      earliest_message_date: T0,
      latest_message_received_date: T0 + 120,
      snippet: "Booked the table, see attached.",
    });
    expect([...th.folders].sort()).toEqual(["archive", "inbox"]);
    // Everyone on from/to/cc of its messages, once each.
    const emails = th.participants.map((p: { email: string }) => p.email);
    expect([...emails].sort()).toEqual(["alice@example.com", "bob@example.net", "carol@example.org"]);
    expect(th.participants[0]).toEqual({ name: "Alice", email: "alice@example.com" });
    expect(th.latest_draft_or_message).toMatchObject({
      object: "message",
      id: ids[2],
      subject: "Re: Re: Dinner Wednesday?",
    });
    expect(th.latest_draft_or_message.attachments.map((a: any) => a.filename)).toEqual(["booking.pdf"]);
  });

  test("unread and starred are 'any message'", async () => {
    const put = (i: number, body: unknown) => api(t, "PUT", `/v3/grants/${grantId}/messages/${ids[i]}`, body);
    await put(2, { unread: false, starred: false });
    expect(await thread(grantId, threadId)).toMatchObject({ unread: false, starred: false });
    await put(0, { unread: true });
    expect(await thread(grantId, threadId)).toMatchObject({ unread: true, starred: false });
    await put(1, { starred: true });
    expect(await thread(grantId, threadId)).toMatchObject({ unread: true, starred: true });
  });

  test("sent messages set latest_message_sent_date; a draft shows in draft_ids and latest_draft_or_message", async () => {
    await send(
      grantId,
      { subject: "Re: Dinner Wednesday?", inReplyTo: "shape-c@example.com", from: "agent@agents.localhost" },
      { internalDate: T0 + 200, folderId: "sent", flags: { seen: true } },
    );
    const draft = await send(
      grantId,
      { subject: "Re: Dinner Wednesday?", inReplyTo: "shape-c@example.com", text: "Draft reply" },
      { internalDate: T0 + 300, folderId: "drafts", flags: { seen: true, draft: true } },
    );
    const th = await thread(grantId, threadId);
    expect(th.message_ids).toHaveLength(4);
    expect(th.message_ids).not.toContain(draft.id);
    expect(th).toMatchObject({
      has_drafts: true,
      draft_ids: [draft.id],
      latest_message_sent_date: T0 + 200,
      latest_message_received_date: T0 + 120,
    });
    expect(th.latest_draft_or_message).toMatchObject({ id: draft.id, object: "draft" });
  });
});

describe("list", () => {
  test("newest activity first; a new reply moves a thread to the top", async () => {
    const grantId = await newGrant();
    const old = await send(
      grantId,
      { subject: "Old topic", messageId: "old@example.com" },
      { internalDate: T0 },
    );
    const mid = await send(grantId, { subject: "Mid topic" }, { internalDate: T0 + 100 });
    const recent = await send(grantId, { subject: "Recent topic" }, { internalDate: T0 + 200 });
    expect(await listIds(grantId)).toEqual([recent.threadId, mid.threadId, old.threadId]);
    await send(
      grantId,
      { subject: "Re: Old topic", inReplyTo: "old@example.com" },
      { internalDate: T0 + 300 },
    );
    expect(await listIds(grantId)).toEqual([old.threadId, recent.threadId, mid.threadId]);
    const [first] = (await get(threads(grantId))).body.data;
    expect(first.latest_message_received_date).toBe(T0 + 300);
  });

  test("default limit 20; pages cover every thread once", async () => {
    const grantId = await newGrant();
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      made.unshift((await send(grantId, { subject: `Topic ${i}` }, { internalDate: T0 + i })).threadId);
    }
    const first = await get(threads(grantId));
    expect(first.body.data).toHaveLength(20);
    expect(first.body.data.map((th: any) => th.id)).toEqual(made.slice(0, 20));
    const second = await get(threads(grantId, `?page_token=${first.body.next_cursor}`));
    expect(second.body.data.map((th: any) => th.id)).toEqual(made.slice(20));
    expect(second.body.next_cursor).toBeNull();
    const small = await get(threads(grantId, "?limit=5&select=id,subject"));
    expect(small.body.data).toHaveLength(5);
    expect(Object.keys(small.body.data[0]).sort()).toEqual(["id", "subject"]);
  });

  describe("filters", () => {
    let grantId: string;
    const tid = { mixed: "", read: "", unread: "" };
    beforeAll(async () => {
      grantId = await newGrant();
      const [a, b] = conversation("filt");
      tid.mixed = (
        await send(grantId, { ...a, text: "pasta tonight" }, { internalDate: T0, flags: { seen: true } })
      ).threadId;
      await send(grantId, { ...b, text: "sounds good" }, { internalDate: T0 + 10 });
      tid.read = (
        await send(
          grantId,
          { from: "dave@example.com", subject: "All read", text: "invoice attached" },
          { internalDate: T0 + 20, flags: { seen: true } },
        )
      ).threadId;
      tid.unread = (
        await send(
          grantId,
          { from: "erin@example.com", subject: "Fresh", text: "pasta recipe" },
          { internalDate: T0 + 30 },
        )
      ).threadId;
    });

    test("from: threads with a message from that address", async () => {
      expect(await listIds(grantId, "from=bob@example.net")).toEqual([tid.mixed]);
      expect(await listIds(grantId, "from=dave@example.com,erin@example.com")).toEqual([
        tid.unread,
        tid.read,
      ]);
      expect(await listIds(grantId, "from=nobody@example.com")).toEqual([]);
    });

    test("unread: matches the thread's own unread flag", async () => {
      expect(await listIds(grantId, "unread=true")).toEqual([tid.unread, tid.mixed]);
      // The mixed thread is unread (one unread message), so it is not an unread=false thread.
      expect(await listIds(grantId, "unread=false")).toEqual([tid.read]);
    });

    test("search_query_native: threads with a matching message; the cursor carries it", async () => {
      const sorted = (ids: string[]) => [...ids].sort();
      expect(sorted(await listIds(grantId, "search_query_native=pasta"))).toEqual(
        sorted([tid.unread, tid.mixed]),
      );
      expect(sorted(await listIds(grantId, "search_query_native=invoice%20OR%20good"))).toEqual(
        sorted([tid.read, tid.mixed]),
      );
      expect(await listIds(grantId, "search_query_native=pasta%20-recipe")).toEqual([tid.mixed]);
      const first = await get(threads(grantId, "?search_query_native=pasta&limit=1"));
      const second = await get(threads(grantId, `?limit=1&page_token=${first.body.next_cursor}`));
      expect(sorted([first.body.data[0].id, second.body.data[0].id])).toEqual(
        sorted([tid.unread, tid.mixed]),
      );
      expect(second.body.next_cursor).toBeNull();
    });
  });
});

describe("PUT and DELETE apply to every message", () => {
  async function setup() {
    const grantId = await newGrant();
    const [a, b, c] = conversation("bulk");
    const rs = [
      await send(grantId, a, { internalDate: T0 }),
      await send(grantId, b, { internalDate: T0 + 1 }),
      await send(grantId, c, { internalDate: T0 + 2, folderId: "archive" }),
    ];
    const bystander = await send(grantId, { subject: "Not in the thread" });
    const message = async (id: string) =>
      (await get(`/v3/grants/${grantId}/messages/${id}`)).body.data as Record<string, any>;
    return { grantId, threadId: rs[0]!.threadId, ids: rs.map((r) => r.id), bystander: bystander.id, message };
  }

  test("unread:false marks all read; starred:true stars all", async () => {
    const s = await setup();
    const res = await api(t, "PUT", threads(s.grantId, `/${s.threadId}`), { unread: false, starred: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data).toMatchObject({ id: s.threadId, unread: false, starred: true });
    for (const id of s.ids) expect(await s.message(id)).toMatchObject({ unread: false, starred: true });
    expect(await s.message(s.bystander)).toMatchObject({ unread: true, starred: false });
  });

  test("folders moves all", async () => {
    const s = await setup();
    const res = await api(t, "PUT", threads(s.grantId, `/${s.threadId}`), { folders: ["junk"] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.folders).toEqual(["junk"]);
    for (const id of s.ids) expect((await s.message(id)).folders).toEqual(["junk"]);
    expect((await s.message(s.bystander)).folders).toEqual(["inbox"]);
  });

  test("DELETE moves all to Trash", async () => {
    const s = await setup();
    expectDeleted(await api(t, "DELETE", threads(s.grantId, `/${s.threadId}`)));
    for (const id of s.ids) expect((await s.message(id)).folders).toEqual(["trash"]);
    expect((await thread(s.grantId, s.threadId)).folders).toEqual(["trash"]);
    expect((await s.message(s.bystander)).folders).toEqual(["inbox"]);
  });
});
