import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas, { NylasApiError } from "nylas";
import {
  buildMail,
  deliver,
  emlFixtures,
  type IngestOptions,
  ingest,
  type MailSpec,
} from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectDeleted, expectError } from "./helpers.ts";

/** GET/PUT/DELETE /v3/grants/{id}/messages (reference §3.1–3.3): error paths first, then each filter. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const AGENT = "agent@agents.localhost";
const T0 = 1_750_000_000;

const messages = (grantId: string, rest = "") => `/v3/grants/${grantId}/messages${rest}`;
const newGrant = async (): Promise<string> => (await createAccount(t)).id;
const get = (path: string) => api(t, "GET", path);

/** 200 and the ids of `data`, in order. */
async function listIds(grantId: string, query = ""): Promise<string[]> {
  const res = await get(messages(grantId, query ? `?${query}` : ""));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.map((m: { id: string }) => m.id);
}

/** Ingests named messages; returns name → id and a lister that answers in names (readable failures). */
async function seed(grantId: string, mail: Record<string, { spec: MailSpec; opts?: IngestOptions }>) {
  const ids: Record<string, string> = {};
  const threads: Record<string, string> = {};
  for (const [name, m] of Object.entries(mail)) {
    const reply = await deliver(t, grantId, m.spec, m.opts);
    ids[name] = reply.id;
    threads[name] = reply.threadId;
  }
  const nameOf = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  const names = async (query: string) => (await listIds(grantId, query)).map((id) => nameOf.get(id) ?? id);
  const id = (name: string): string => {
    const found = ids[name];
    if (!found) throw new Error(`no message named ${name}`);
    return found;
  };
  return { ids, threads, names, id };
}

const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);

describe("list: parameter errors", () => {
  let grantId: string;
  beforeAll(async () => {
    grantId = await newGrant();
    for (let i = 0; i < 3; i++) await deliver(t, grantId, {}, { internalDate: T0 + i });
  });

  test("limit 0 and 201 are 400s naming limit; 1 and 200 are accepted", async () => {
    for (const limit of ["0", "201", "-1", "1.5", "ten"]) {
      expectError(await get(messages(grantId, `?limit=${limit}`)), 400, "invalid_request_error", "limit");
    }
    expect(await listIds(grantId, "limit=1")).toHaveLength(1);
    expect(await listIds(grantId, "limit=200")).toHaveLength(3);
  });

  test("a page_token this server did not issue is a 400", async () => {
    const notCursors = [
      "garbage!!",
      "bm90IGpzb24", // "not json"
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from("{}").toString("base64url"),
      Buffer.from(JSON.stringify({ q: "", d: "x", s: "y" })).toString("base64url"),
    ];
    for (const token of notCursors) {
      const res = await get(messages(grantId, `?page_token=${token}`));
      expectError(res, 400, "invalid_request_error", "page_token");
    }
  });

  test("malformed filters are 400s naming the parameter", async () => {
    const cases: [string, string][] = [
      ["unread=yes", "unread"],
      ["starred=1", "starred"],
      ["has_attachment=maybe", "has_attachment"],
      ["received_before=yesterday", "received_before"],
      ["received_after=-5", "received_after"],
      ["metadata_pair=blue", "metadata_pair"],
      ["fields=everything", "fields"],
      [`any_email=${Array.from({ length: 26 }, (_, i) => `p${i}@example.com`).join(",")}`, "any_email"],
    ];
    for (const [query, name] of cases) {
      expectError(await get(messages(grantId, `?${query}`)), 400, "invalid_request_error", name);
    }
  });

  test("an unknown grant is a 404", async () => {
    expectError(await get(messages(crypto.randomUUID())), 404, "not_found_error");
  });
});

describe("list: filters", () => {
  let grantId: string;
  let s: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    grantId = await newGrant();
    s = await seed(grantId, {
      invoice: {
        spec: {
          from: "Alice <alice@example.com>",
          to: "bob@example.net",
          cc: "carol@example.org",
          subject: "Quarterly Invoice #1",
          messageId: "invoice-1@example.com",
        },
        opts: { internalDate: T0 + 100, metadata: { key1: "blue" } },
      },
      lunch: {
        spec: { from: "bob@example.net", to: "alice@example.com", subject: "Lunch plans" },
        opts: { internalDate: T0 + 200, flags: { seen: true, flagged: true } },
      },
      reply: {
        spec: {
          from: "dave@example.com",
          to: AGENT,
          bcc: "erin@example.com",
          subject: "re: quarterly invoice",
          inReplyTo: "invoice-1@example.com",
          references: ["invoice-1@example.com"],
          attachments: [{ filename: "q.pdf", contentType: "application/pdf", content: pdf }],
        },
        opts: { internalDate: T0 + 300, folderId: "archive" },
      },
      news: {
        spec: {
          from: "news@example.org",
          to: AGENT,
          cc: "Alice <alice@example.com>",
          subject: "Sale: 100% off",
        },
        opts: { internalDate: T0 + 400, flags: { seen: true } },
      },
      sent: {
        spec: { from: AGENT, to: "alice@example.com", subject: "Save 1000 ways" },
        opts: { internalDate: T0 + 500, folderId: "sent", flags: { seen: true } },
      },
      draft: {
        spec: { from: AGENT, to: "alice@example.com", subject: "Invoice draft" },
        opts: { internalDate: T0 + 600, folderId: "drafts", flags: { seen: true, draft: true } },
      },
    });
  });

  test("no filter: newest first, drafts left out", async () => {
    expect(await s.names("")).toEqual(["sent", "news", "reply", "lunch", "invoice"]);
  });

  test("subject: partial and case-insensitive; % is literal", async () => {
    expect(await s.names("subject=invoice")).toEqual(["reply", "invoice"]);
    expect(await s.names("subject=QUARTERLY")).toEqual(["reply", "invoice"]);
    expect(await s.names("subject=100%25")).toEqual(["news"]);
    expect(await s.names("subject=1_00")).toEqual([]);
    expect(await s.names("subject=nothing%20like%20this")).toEqual([]);
  });

  test("any_email: from, to, cc or bcc; comma-joined; any case", async () => {
    expect(await s.names("any_email=alice@example.com")).toEqual(["sent", "news", "lunch", "invoice"]);
    expect(await s.names("any_email=erin@example.com,bob@example.net")).toEqual([
      "reply",
      "lunch",
      "invoice",
    ]);
    expect(await s.names("any_email=ALICE@Example.COM")).toEqual(["sent", "news", "lunch", "invoice"]);
  });

  test("from, to, cc, bcc: one field each, repeated keys or comma-joined", async () => {
    expect(await s.names("from=alice@example.com")).toEqual(["invoice"]);
    expect(await s.names("from=alice@example.com&from=bob@example.net")).toEqual(["lunch", "invoice"]);
    expect(await s.names("from=alice@example.com,bob@example.net")).toEqual(["lunch", "invoice"]);
    expect(await s.names("to=alice@example.com")).toEqual(["sent", "lunch"]);
    expect(await s.names("to=bob@example.net&to=alice@example.com")).toEqual(["sent", "lunch", "invoice"]);
    expect(await s.names("cc=alice@example.com")).toEqual(["news"]);
    expect(await s.names("cc=carol@example.org,alice@example.com")).toEqual(["news", "invoice"]);
    expect(await s.names("bcc=erin@example.com")).toEqual(["reply"]);
    expect(await s.names("bcc=nobody@example.com&bcc=erin@example.com")).toEqual(["reply"]);
    // The address is in `to` of lunch, not in `from`.
    expect(await s.names("from=alice@example.com&to=alice@example.com")).toEqual([]);
  });

  test("in: folder id, the INBOX name, several folders, drafts only when asked", async () => {
    expect(await s.names("in=archive")).toEqual(["reply"]);
    expect(await s.names("in=inbox")).toEqual(["news", "lunch", "invoice"]);
    expect(await s.names("in=INBOX")).toEqual(["news", "lunch", "invoice"]);
    expect(await s.names("in=sent")).toEqual(["sent"]);
    expect(await s.names("in=inbox&in=archive")).toEqual(["news", "reply", "lunch", "invoice"]);
    expect(await s.names("in=inbox,archive")).toEqual(["news", "reply", "lunch", "invoice"]);
    const drafts = await get(messages(grantId, "?in=drafts"));
    expect(drafts.body.data.map((m: any) => [m.id, m.object])).toEqual([[s.ids.draft, "draft"]]);
  });

  test("in: a custom folder's id", async () => {
    const grantId = await newGrant();
    await deliver(t, grantId, {});
    const folder = await api(t, "POST", `/v3/grants/${grantId}/folders`, { name: "Receipts" });
    expect(folder.status).toBe(200);
    const { id } = await deliver(t, grantId, { subject: "receipt" }, { folderId: folder.body.data.id });
    expect(await listIds(grantId, `in=${folder.body.data.id}`)).toEqual([id]);
  });

  test("unread and starred", async () => {
    expect(await s.names("unread=true")).toEqual(["reply", "invoice"]);
    expect(await s.names("unread=false")).toEqual(["sent", "news", "lunch"]);
    expect(await s.names("starred=true")).toEqual(["lunch"]);
    expect(await s.names("starred=false")).toEqual(["sent", "news", "reply", "invoice"]);
  });

  test("thread_id", async () => {
    expect(s.threads.reply).toBe(s.threads.invoice as string);
    expect(await s.names(`thread_id=${s.threads.invoice}`)).toEqual(["reply", "invoice"]);
    expect(await s.names(`thread_id=${s.threads.lunch}`)).toEqual(["lunch"]);
    expect(await s.names("thread_id=nosuchthread")).toEqual([]);
  });

  test("received_before and received_after (Unix seconds), alone and as a window", async () => {
    expect(await s.names(`received_after=${T0 + 250}`)).toEqual(["sent", "news", "reply"]);
    expect(await s.names(`received_before=${T0 + 250}`)).toEqual(["lunch", "invoice"]);
    expect(await s.names(`received_after=${T0 + 150}&received_before=${T0 + 450}`)).toEqual([
      "news",
      "reply",
      "lunch",
    ]);
    const one = await get(messages(grantId, `/${s.ids.invoice}`));
    expect(one.body.data.date).toBe(T0 + 100);
  });

  test("has_attachment", async () => {
    expect(await s.names("has_attachment=true")).toEqual(["reply"]);
    expect(await s.names("has_attachment=false")).toEqual(["sent", "news", "lunch", "invoice"]);
  });

  test("metadata_pair", async () => {
    expect(await s.names("metadata_pair=key1:blue")).toEqual(["invoice"]);
    expect(await s.names("metadata_pair=key1:red")).toEqual([]);
    expect(await s.names("metadata_pair=key2:blue")).toEqual([]);
  });

  test("metadata_pair: any key is matched literally, never a 500", async () => {
    const other = await newGrant();
    const { id } = await deliver(t, other, {}, { metadata: { 'say"hi': "yes", "a\\b": "no", "x.y": "z" } });
    expect(await listIds(other, `metadata_pair=${encodeURIComponent('say"hi:yes')}`)).toEqual([id]);
    expect(await listIds(other, `metadata_pair=${encodeURIComponent("a\\b:no")}`)).toEqual([id]);
    expect(await listIds(other, "metadata_pair=x.y:z")).toEqual([id]);
    expect(await listIds(other, `metadata_pair=${encodeURIComponent("\\:x")}`)).toEqual([]);
  });

  test("combinations are ANDed", async () => {
    expect(await s.names("subject=invoice&from=dave@example.com")).toEqual(["reply"]);
    expect(await s.names("any_email=alice@example.com&unread=true")).toEqual(["invoice"]);
    expect(await s.names("in=inbox&starred=true")).toEqual(["lunch"]);
    expect(await s.names("has_attachment=false&subject=invoice")).toEqual(["invoice"]);
    expect(await s.names("to=alice@example.com&in=sent")).toEqual(["sent"]);
    expect(await s.names(`received_after=${T0 + 150}&any_email=alice@example.com&unread=false`)).toEqual([
      "sent",
      "news",
      "lunch",
    ]);
    expect(await s.names(`thread_id=${s.threads.invoice}&has_attachment=true&in=archive`)).toEqual(["reply"]);
    expect(await s.names("metadata_pair=key1:blue&unread=false")).toEqual([]);
  });

  test("subject: case-insensitive beyond ASCII", async () => {
    const grantId = await newGrant();
    await deliver(t, grantId, { subject: "Reunion" });
    const { id } = await deliver(t, grantId, { subject: "Réunion d'équipe" }, { internalDate: T0 + 50 });
    expect(await listIds(grantId, "subject=r%C3%A9union")).toEqual([id]);
    expect(await listIds(grantId, `subject=${encodeURIComponent("RÉUNION D'ÉQUIPE")}`)).toEqual([id]);
  });
});

describe("list: order and pages", () => {
  test("newest first by received date; equal dates in reverse arrival order", async () => {
    const grantId = await newGrant();
    const a = await deliver(t, grantId, {}, { internalDate: T0 + 10 });
    const b = await deliver(t, grantId, {}, { internalDate: T0 + 30 });
    const c = await deliver(t, grantId, {}, { internalDate: T0 + 20 });
    const d = await deliver(t, grantId, {}, { internalDate: T0 + 20 });
    expect(await listIds(grantId)).toEqual([b.id, d.id, c.id, a.id]);
  });

  test("pages cover everything once; next_cursor is null on the last page, even a full one", async () => {
    const grantId = await newGrant();
    const made: string[] = [];
    for (let i = 0; i < 6; i++) made.unshift((await deliver(t, grantId, {}, { internalDate: T0 + i })).id);
    const first = await get(messages(grantId, "?limit=3"));
    expect(first.body.data.map((m: any) => m.id)).toEqual(made.slice(0, 3));
    expect(typeof first.body.next_cursor).toBe("string");
    const second = await get(messages(grantId, `?limit=3&page_token=${first.body.next_cursor}`));
    expect(second.body.data.map((m: any) => m.id)).toEqual(made.slice(3));
    expect(second.body.next_cursor).toBeNull();
  });

  test("the cursor carries the filters: page 2 asked without them still applies them", async () => {
    const grantId = await newGrant();
    const unread: string[] = [];
    for (let i = 0; i < 10; i++) {
      const seen = i % 2 === 0;
      const { id } = await deliver(
        t,
        grantId,
        { subject: `n${i}` },
        { internalDate: T0 + i, flags: { seen } },
      );
      if (!seen) unread.unshift(id);
    }
    const first = await get(messages(grantId, "?unread=true&limit=2"));
    expect(first.body.data.map((m: any) => m.id)).toEqual(unread.slice(0, 2));
    const second = await get(messages(grantId, `?limit=2&page_token=${first.body.next_cursor}`));
    expect(second.body.data.map((m: any) => m.id)).toEqual(unread.slice(2, 4));
    // The SDK's "remaining" request: another limit with the same cursor continues where it was.
    const rest = await get(messages(grantId, `?limit=5&page_token=${second.body.next_cursor}`));
    expect(rest.body.data.map((m: any) => m.id)).toEqual(unread.slice(4));
    expect(rest.body.next_cursor).toBeNull();
  });

  test("select keeps only the named top-level fields", async () => {
    const grantId = await newGrant();
    const { id } = await deliver(t, grantId, { subject: "selected" });
    const res = await get(messages(grantId, "?select=id,subject"));
    expect(res.body.data).toEqual([{ id, subject: "selected" }]);
    const one = await get(messages(grantId, `/${id}?select=subject,unread`));
    expect(one.body.data).toEqual({ subject: "selected", unread: true });
  });
});

describe("fields=include_headers | include_basic_headers | raw_mime", () => {
  let grantId: string;
  let raw: Buffer;
  let id: string;
  beforeAll(async () => {
    grantId = await newGrant();
    raw = buildMail({
      subject: "=?UTF-8?Q?caf=C3=A9?= headers",
      messageId: "hdr-2@example.com",
      inReplyTo: "hdr-1@example.com",
      references: ["hdr-0@example.com", "hdr-1@example.com"],
      headers: ["X-Custom: yes"],
    });
    id = (await ingest(t, grantId, raw)).id;
  });

  test("include_headers: every top-level header, decoded, in order", async () => {
    const res = await get(messages(grantId, `/${id}?fields=include_headers`));
    const headers: { name: string; value: string }[] = res.body.data.headers;
    expect(headers.map((h) => h.name)).toEqual([
      "From",
      "To",
      "Subject",
      "Date",
      "Message-ID",
      "In-Reply-To",
      "References",
      "MIME-Version",
      "X-Custom",
      "Content-Type",
      "Content-Transfer-Encoding",
    ]);
    expect(headers.find((h) => h.name === "Subject")?.value).toBe("café headers");
    expect(headers.find((h) => h.name === "Message-ID")?.value).toBe("<hdr-2@example.com>");
    expect(res.body.data.subject).toBe("café headers");
    const listed = await get(messages(grantId, "?fields=include_headers"));
    expect(listed.body.data[0].headers).toEqual(headers);
  });

  test("include_basic_headers: only Message-ID, In-Reply-To and References", async () => {
    const res = await get(messages(grantId, `/${id}?fields=include_basic_headers`));
    expect(res.body.data.headers).toEqual([
      { name: "Message-ID", value: "<hdr-2@example.com>" },
      { name: "In-Reply-To", value: "<hdr-1@example.com>" },
      { name: "References", value: "<hdr-0@example.com> <hdr-1@example.com>" },
    ]);
  });

  test("without fields there are no headers", async () => {
    expect((await get(messages(grantId, `/${id}`))).body.data.headers).toBeUndefined();
  });

  test("raw_mime: only grant_id, object, id and raw_mime, base64url of the exact stored bytes", async () => {
    for (const path of [messages(grantId, `/${id}?fields=raw_mime`), messages(grantId, "?fields=raw_mime")]) {
      const res = await get(path);
      const m = Array.isArray(res.body.data) ? res.body.data[0] : res.body.data;
      expect(Object.keys(m).sort()).toEqual(["grant_id", "id", "object", "raw_mime"]);
      expect(m).toMatchObject({ grant_id: grantId, id, object: "message" });
      expect(m.raw_mime).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(m.raw_mime, "base64url").equals(raw)).toBe(true);
    }
  });
});

describe("GET one", () => {
  test("unknown id is a 404; another grant's message is a 404 too", async () => {
    const mine = await newGrant();
    const theirs = await newGrant();
    const { id } = await deliver(t, theirs, { subject: "private" });
    expectError(await get(messages(mine, "/nosuchmessage")), 404, "not_found_error", "nosuchmessage");
    expectError(await get(messages(mine, `/${id}`)), 404, "not_found_error");
    expect((await get(messages(theirs, `/${id}`))).status).toBe(200);
  });

  test("the message object (§3.2)", async () => {
    const grantId = await newGrant();
    const { id, threadId } = await deliver(
      t,
      grantId,
      {
        from: "Alice <alice@example.com>",
        to: "Bob <bob@example.net>, carol@example.org",
        cc: "dave@example.com",
        subject: "Shape",
        text: "Hello <world> & all",
        headers: ["Reply-To: replies@example.com"],
      },
      { internalDate: T0, metadata: { k: "v" } },
    );
    const res = await get(messages(grantId, `/${id}`));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      object: "message",
      id,
      grant_id: grantId,
      thread_id: threadId,
      subject: "Shape",
      from: [{ name: "Alice", email: "alice@example.com" }],
      to: [{ name: "Bob", email: "bob@example.net" }, { email: "carol@example.org" }],
      cc: [{ email: "dave@example.com" }],
      bcc: [],
      reply_to: [{ email: "replies@example.com" }],
      date: T0,
      unread: true,
      starred: false,
      snippet: "Hello <world> & all",
      folders: ["inbox"],
      attachments: [],
      metadata: { k: "v" },
    });
    expect(res.body.data.body).toContain("Hello &lt;world&gt; &amp; all");
  });
});

describe("PUT", () => {
  let grantId: string;
  let id: string;
  const put = (body: unknown, target = id) => api(t, "PUT", messages(grantId, `/${target}`), body);
  beforeAll(async () => {
    grantId = await newGrant();
    id = (await deliver(t, grantId, { subject: "to update" })).id;
  });

  test("an empty body, no body, or an unknown field is a 400 naming the problem", async () => {
    expectError(await put({}), 400, "invalid_request_error", "empty");
    expectError(await put(undefined), 400, "invalid_request_error");
    expectError(await put({ unread: false, colour: "red" }), 400, "invalid_request_error", "colour");
    expectError(await put({ unread: "no" }), 400, "invalid_request_error", "unread");
    expectError(await put({ starred: 1 }), 400, "invalid_request_error", "starred");
    expect((await get(messages(grantId, `/${id}`))).body.data.unread).toBe(true);
  });

  test("folders must hold exactly one id; an unknown folder is a 404", async () => {
    expectError(await put({ folders: ["inbox", "archive"] }), 400, "invalid_request_error", "folders");
    expectError(await put({ folders: [] }), 400, "invalid_request_error", "folders");
    expectError(await put({ folders: "archive" }), 400, "invalid_request_error", "folders");
    expectError(await put({ folders: ["nosuchfolder"] }), 404, "not_found_error", "nosuchfolder");
    expect((await get(messages(grantId, `/${id}`))).body.data.folders).toEqual(["inbox"]);
  });

  test("an unknown message, or another grant's, is a 404", async () => {
    expectError(await put({ unread: false }, "nosuchmessage"), 404, "not_found_error");
    const other = await newGrant();
    const theirs = await deliver(t, other, {});
    expectError(await put({ starred: true }, theirs.id), 404, "not_found_error");
    expect((await get(messages(other, `/${theirs.id}`))).body.data.starred).toBe(false);
  });

  test("unread, starred and answered change and are returned and kept", async () => {
    const res = await put({ unread: false, starred: true, answered: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, unread: false, starred: true, answered: true });
    expect((await get(messages(grantId, `/${id}`))).body.data).toMatchObject({
      unread: false,
      starred: true,
      answered: true,
    });
    expect(await listIds(grantId, "starred=true")).toEqual([id]);
    const back = await put({ unread: true });
    expect(back.body.data).toMatchObject({ unread: true, starred: true, answered: true });
  });

  test("folders moves the message", async () => {
    const res = await put({ folders: ["archive"] });
    expect(res.status).toBe(200);
    expect(res.body.data.folders).toEqual(["archive"]);
    expect(await listIds(grantId, "in=archive")).toEqual([id]);
    expect(await listIds(grantId, "in=inbox")).toEqual([]);
    expect((await put({ folders: ["inbox"] })).body.data.folders).toEqual(["inbox"]);
  });

  test("folders accepts the system folder names that `in` accepts", async () => {
    const res = await put({ folders: ["INBOX"] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.folders).toEqual(["inbox"]);
  });

  test("metadata: replaced, found by metadata_pair; at most 50 pairs of at most 500 characters", async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, `v${i}`]));
    const ok = await put({ metadata: { ...fifty, key1: "x".repeat(500) } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(Object.keys(ok.body.data.metadata)).toHaveLength(50);
    expectError(
      await put({ metadata: { ...fifty, key50: "one too many" } }),
      400,
      "invalid_request_error",
      "50",
    );
    expectError(await put({ metadata: { key1: "x".repeat(501) } }), 400, "invalid_request_error", "500");
    expectError(await put({ metadata: { key1: 5 } }), 400, "invalid_request_error", "key1");
    expectError(await put({ metadata: ["key1"] }), 400, "invalid_request_error", "metadata");
    const res = await put({ metadata: { key1: "project-x", key2: "a:b" } });
    expect(res.body.data.metadata).toEqual({ key1: "project-x", key2: "a:b" });
    expect(await listIds(grantId, "metadata_pair=key1:project-x")).toEqual([id]);
    expect(await listIds(grantId, "metadata_pair=key2:a:b")).toEqual([id]);
    expect(await listIds(grantId, "metadata_pair=key0:v0")).toEqual([]);
  });
});

describe("DELETE", () => {
  const del = (grantId: string, id: string, query = "") =>
    api(t, "DELETE", messages(grantId, `/${id}${query}`));

  test("an unknown message, or another grant's, is a 404 and nothing changes", async () => {
    const mine = await newGrant();
    const other = await newGrant();
    const theirs = await deliver(t, other, {});
    expectError(await del(mine, "nosuchmessage"), 404, "not_found_error");
    expectError(await del(mine, theirs.id, "?hard_delete=true"), 404, "not_found_error");
    expect((await get(messages(other, `/${theirs.id}`))).body.data.folders).toEqual(["inbox"]);
  });

  test("moves to Trash; in Trash it deletes for good", async () => {
    const grantId = await newGrant();
    const { id } = await deliver(t, grantId, {});
    expectDeleted(await del(grantId, id));
    expect((await get(messages(grantId, `/${id}`))).body.data.folders).toEqual(["trash"]);
    expect(await listIds(grantId, "in=trash")).toEqual([id]);
    expectDeleted(await del(grantId, id));
    expectError(await get(messages(grantId, `/${id}`)), 404, "not_found_error");
    expect(await listIds(grantId)).toEqual([]);
    expectError(await del(grantId, id), 404, "not_found_error");
  });

  test("hard_delete=true deletes from any folder", async () => {
    const grantId = await newGrant();
    const inbox = await deliver(t, grantId, {});
    const archived = await deliver(t, grantId, {}, { folderId: "archive" });
    const kept = await deliver(t, grantId, {});
    expectDeleted(await del(grantId, inbox.id, "?hard_delete=true"));
    expectDeleted(await del(grantId, archived.id, "?hard_delete=true"));
    expectError(await get(messages(grantId, `/${inbox.id}`)), 404, "not_found_error");
    expectError(await get(messages(grantId, `/${archived.id}`)), 404, "not_found_error");
    expect(await listIds(grantId, "in=trash")).toEqual([]);
    expect(await listIds(grantId)).toEqual([kept.id]);
  });
});

describe("search_query_native", () => {
  let s: Awaited<ReturnType<typeof seed>>;
  let grantId: string;
  /** Search results in name order (relevance order is the server's choice). */
  const found = async (query: string, extra = "") =>
    (await s.names(`search_query_native=${encodeURIComponent(query)}${extra}`)).sort();

  beforeAll(async () => {
    grantId = await newGrant();
    s = await seed(grantId, {
      kickoff: {
        spec: {
          from: "alice@example.com",
          subject: "Project kickoff meeting",
          text: "Let's meet tomorrow to discuss the roadmap.",
        },
      },
      invoice: {
        spec: {
          from: "billing@vendor.example",
          subject: "Invoice 2024-17",
          text: "Please find the invoice attached.",
          attachments: [
            { filename: "quarterly-forecast.xlsx", contentType: "application/octet-stream", content: pdf },
          ],
        },
      },
      review: {
        spec: {
          from: "bob@example.net",
          subject: "Roadmap review",
          text: "The roadmap is approved. No meeting needed.",
        },
      },
      lunch: {
        spec: {
          from: "carol@example.org",
          cc: "alice@example.com",
          subject: "Team lunch",
          text: "Pizza on Friday",
        },
      },
      draft: {
        spec: { subject: "Roadmap draft", text: "roadmap pizza invoice" },
        opts: { folderId: "drafts" },
      },
    });
  });

  test("a syntax error is a 400 naming the problem", async () => {
    const cases: [string, string][] = [
      ['"unterminated phrase', "unterminated quote"],
      ["(roadmap OR pizza", 'unclosed "("'],
      ["roadmap)", 'unmatched ")"'],
      ["OR pizza", '"OR" has no term before it'],
      ["x".repeat(513), "512 bytes"],
    ];
    for (const [query, message] of cases) {
      const res = await get(messages(grantId, `?search_query_native=${encodeURIComponent(query)}`));
      expectError(res, 400, "invalid_request_error", "search_query_native", message);
    }
  });

  test("words (implicit AND) in subject, body and names", async () => {
    expect(await found("roadmap")).toEqual(["kickoff", "review"]);
    expect(await found("roadmap kickoff")).toEqual(["kickoff"]);
    expect(await found("ROADMAP AND approved")).toEqual(["review"]);
    expect(await found("nonexistentword")).toEqual([]);
  });

  test("phrases", async () => {
    expect(await found('"roadmap review"')).toEqual(["review"]);
    expect(await found('"review roadmap"')).toEqual([]);
    expect(await found('"find the invoice"')).toEqual(["invoice"]);
  });

  test("OR, negation and groups", async () => {
    expect(await found("pizza OR invoice")).toEqual(["invoice", "lunch"]);
    expect(await found("roadmap -approved")).toEqual(["kickoff"]);
    expect(await found("(pizza OR kickoff) -friday")).toEqual(["kickoff"]);
  });

  test("a query of negations only, and prefixes", async () => {
    expect(await found("-roadmap")).toEqual(["invoice", "lunch"]);
    expect(await found("-roadmap -pizza")).toEqual(["invoice"]);
    expect(await found("invoi*")).toEqual(["invoice"]);
    expect(await found("road* OR piz*")).toEqual(["kickoff", "lunch", "review"]);
  });

  test("addresses: whole, and by field", async () => {
    expect(await found("alice@example.com")).toEqual(["kickoff", "lunch"]);
    expect(await found("from:alice@example.com")).toEqual(["kickoff"]);
    expect(await found("bob@example.net")).toEqual(["review"]);
  });

  test("attachment file names", async () => {
    expect(await found("forecast")).toEqual(["invoice"]);
    expect(await found("quarterly-forecast.xlsx")).toEqual(["invoice"]);
    expect(await found("filename:invoice")).toEqual([]);
  });

  test("ANDed with the structured filters; drafts left out unless asked", async () => {
    expect(await found("roadmap", "&from=bob@example.net")).toEqual(["review"]);
    expect(await found("roadmap", "&unread=false")).toEqual([]);
    expect(await found("roadmap", "&in=drafts")).toEqual(["draft"]);
  });

  test("the cursor carries the search too", async () => {
    const first = await get(messages(grantId, `?search_query_native=roadmap&limit=1`));
    expect(first.body.data).toHaveLength(1);
    const second = await get(messages(grantId, `?limit=5&page_token=${first.body.next_cursor}`));
    const both = [...first.body.data, ...second.body.data].map((m: any) => m.id).sort();
    expect(both).toEqual([s.ids.kickoff, s.ids.review].sort());
    expect(second.body.next_cursor).toBeNull();
  });
});

describe("through the SDK (nylas@8.4.0)", () => {
  let nylas: Nylas;
  let grantId: string;
  let s: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
    grantId = await newGrant();
    s = await seed(grantId, {
      one: {
        spec: { from: "alice@example.com", to: "bob@example.net", subject: "SDK one" },
        opts: { internalDate: T0 },
      },
      two: {
        spec: { from: "carol@example.org", to: "dave@example.com", subject: "SDK two" },
        opts: { internalDate: T0 + 1, folderId: "archive" },
      },
      three: { spec: { from: "erin@example.com", subject: "SDK three" }, opts: { internalDate: T0 + 2 } },
    });
  });
  const sdkIds = async (queryParams: Record<string, unknown>) =>
    (await nylas.messages.list({ identifier: grantId, queryParams })).data.map((m) => m.id);

  test("array parameters (repeated keys, any_email comma-joined) and search", async () => {
    expect(await sdkIds({ anyEmail: ["alice@example.com", "dave@example.com"] })).toEqual([
      s.id("two"),
      s.id("one"),
    ]);
    expect(await sdkIds({ to: ["bob@example.net", "dave@example.com"] })).toEqual([s.id("two"), s.id("one")]);
    expect(await sdkIds({ in: ["INBOX"] })).toEqual([s.id("three"), s.id("one")]);
    expect(await sdkIds({ in: ["inbox", "archive"], receivedAfter: T0 })).toEqual([
      s.id("three"),
      s.id("two"),
    ]);
    expect((await sdkIds({ searchQueryNative: "three OR two" })).sort()).toEqual(
      [s.id("three"), s.id("two")].sort(),
    );
  });

  test("find, update (metadata keys kept as sent), destroy; errors are NylasApiErrors", async () => {
    const id = s.id("one");
    const found = await nylas.messages.find({ identifier: grantId, messageId: id });
    expect(found.data).toMatchObject({ id, subject: "SDK one", unread: true, grantId });
    const updated = await nylas.messages.update({
      identifier: grantId,
      messageId: id,
      requestBody: { unread: false, starred: true, folders: ["archive"], metadata: { key1: "sdk" } },
    });
    expect(updated.data).toMatchObject({
      unread: false,
      starred: true,
      folders: ["archive"],
      metadata: { key1: "sdk" },
    });
    expect(await listIds(grantId, "metadata_pair=key1:sdk")).toEqual([id]);
    const destroyed = await nylas.messages.destroy({ identifier: grantId, messageId: id });
    expect(destroyed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get(messages(grantId, `/${id}`))).body.data.folders).toEqual(["trash"]);
    const err = await nylas.messages.find({ identifier: grantId, messageId: "nosuchmessage" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NylasApiError);
    expect((err as NylasApiError).statusCode).toBe(404);
  });
});

describe("corpus: every test/fixtures/eml message becomes a sensible API object", () => {
  interface Expected {
    subject: string;
    from: { email: string; name?: string };
    /** File names (undefined: the part has none, so the field is absent). */
    attachments: (string | undefined)[];
    /** The snippet starts with this ("": the message has no text, so no snippet field). */
    snippet: string;
    /** The body contains this. */
    body: string;
  }
  const EXPECTED: Record<string, Expected> = {
    "01-plain-text.eml": {
      subject: "Lunch on Thursday?",
      from: { name: "Alice Example", email: "alice@example.com" },
      attachments: [],
      snippet: "Hi Bob, Are you free for lunch on Thursday? The café on 5th opens at noon.",
      body: "The café on 5th opens at noon.",
    },
    "02-alternative.eml": {
      subject: "Your order #1042 has shipped",
      from: { name: "Shop, Inc.", email: "orders@shop.example" },
      attachments: [],
      snippet: "Your order #1042 has shipped — it will arrive Friday.",
      body: "<p>Your order #1042 has shipped — it will arrive Friday.</p>",
    },
    "03-mixed-related-pdf.eml": {
      subject: "Q1 report",
      from: { name: "Carol", email: "carol@example.org" },
      attachments: ["chart.png", "Q1 report.pdf"],
      snippet: "The Q1 report is attached. Chart below.",
      body: '<img src="cid:chart@q1">',
    },
    "04-nested-alternative-attachment.eml": {
      subject: "Weekly metrics",
      from: { email: "reports@metrics.example" },
      attachments: ["metrics.csv"],
      snippet: "Signups: 120 Churn: 3",
      body: "<li>Signups: 120</li>",
    },
    "05-forwarded.eml": {
      subject: "Fwd: Your order #1042 has shipped",
      from: { name: "Bob", email: "bob@agentbox.test" },
      attachments: ["order.eml"],
      snippet: "FYI, see below.",
      body: "FYI, see below.",
    },
    "06-calendar-invite.eml": {
      subject: "Invitation: Design review @ Wed Mar 12, 2025 3pm - 4pm (UTC)",
      from: { name: "Carol", email: "carol@example.org" },
      attachments: ["invite.ics"],
      snippet: "You have been invited to Design review.",
      body: "<b>Design review</b>",
    },
    "07-latin1-qp.eml": {
      subject: "Réunion d'équipe",
      from: { name: "Élodie Martin", email: "elodie@example.fr" },
      attachments: [],
      snippet: "Bonjour André, La réunion d'équipe est déplacée à jeudi.",
      body: "déplacée à jeudi",
    },
    "08-shift-jis-base64.eml": {
      subject: "会議の資料",
      from: { name: "田中 太郎", email: "tanaka@example.jp" },
      attachments: [],
      snippet: "お世話になっております。 来週の会議の資料を送ります。",
      body: "来週の会議の資料を送ります。",
    },
    "09-rfc2231-filename.eml": {
      subject: "Documents",
      from: { email: "finance@example.fr" },
      attachments: ["€ rapport final.pdf", "résumé.txt"],
      snippet: "Two documents attached.",
      body: "Two documents attached.",
    },
    "10-lf-only.eml": {
      subject: "Nightly build passed",
      from: { email: "cron@build.example" },
      attachments: [],
      snippet: "Build 88 passed. All 412 tests green.",
      body: "Build 88 passed.",
    },
    "11-malformed.eml": {
      subject: 'Café "menu" for today',
      from: { name: "Renée Dupont", email: "renee@example.com" },
      attachments: ["data.bin"],
      snippet: "Part without headers.",
      body: "Part without headers.",
    },
    "12-no-body.eml": {
      subject: "(no body)",
      from: { email: "alice@example.com" },
      attachments: [],
      snippet: "",
      body: "",
    },
    "13-digest.eml": {
      subject: "Digest, Vol 12, Issue 3",
      from: { email: "list-digest@lists.example" },
      attachments: [undefined, undefined],
      snippet: "",
      body: "",
    },
  };

  const fixtures = emlFixtures();
  let grantId: string;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    grantId = await newGrant();
    for (const f of fixtures) ids.set(f.name, (await ingest(t, grantId, f.raw)).id);
  });

  test("the expectations cover every fixture", () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const f of fixtures) {
    test(f.name, async () => {
      const want = EXPECTED[f.name];
      if (!want) throw new Error(`no expectation for ${f.name}`);
      const id = ids.get(f.name);
      const res = await get(messages(grantId, `/${id}`));
      expect(res.status).toBe(200);
      const m = res.body.data;
      expect(m).toMatchObject({ object: "message", id, grant_id: grantId, folders: ["inbox"], unread: true });
      expect(m.subject).toBe(want.subject);
      expect(m.from).toEqual([want.from]);
      expect(m.attachments.map((a: any) => a.filename)).toEqual(want.attachments);
      // Nylas's snippet is at least one character: no text, no snippet field.
      if (want.snippet) {
        expect(m.snippet.length).toBeLessThanOrEqual(100);
        expect(m.snippet.startsWith(want.snippet)).toBe(true);
      } else expect("snippet" in m).toBe(false);
      expect(typeof m.body).toBe("string");
      expect(m.body).toContain(want.body);
      expect(m.body).not.toContain("\uFFFD");
      expect(m.thread_id).toMatch(/^[0-9a-z]{25}$/);
      const raw = await get(messages(grantId, `/${id}?fields=raw_mime`));
      expect(Buffer.from(raw.body.data.raw_mime, "base64url").equals(f.raw)).toBe(true);
    });
  }
});
