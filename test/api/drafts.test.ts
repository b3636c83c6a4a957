import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { messages } from "../../src/store/schema.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { expectDeleted, expectError } from "./helpers.ts";
import {
  type Account,
  account,
  call,
  createdEventIds,
  eventsOf,
  expectOk,
  folderMessages,
  headerOf,
  messageRow,
  queueRows,
  rawOf,
  sendJson,
  setStorageQuota,
} from "./send-helpers.ts";

/** /v3/grants/{id}/drafts (reference §4.1): drafts are the Drafts folder, shared with IMAP. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const drafts = (grantId: string, rest = "") => `/v3/grants/${grantId}/drafts${rest}`;
const create = (grantId: string, json: unknown) => call(t, "POST", drafts(grantId), { json });
const update = (grantId: string, id: string, json: unknown) =>
  call(t, "PUT", drafts(grantId, `/${id}`), { json });

async function rowsInDrafts(grantId: string) {
  return t.server.store.read
    .select()
    .from(messages)
    .where(and(eq(messages.grantId, grantId), eq(messages.folderId, "drafts")));
}

describe("create, read, list", () => {
  let a: Account;
  let draft: Record<string, any>;
  beforeAll(async () => {
    a = await account(t);
    draft = expectOk(
      await create(a.id, {
        to: [{ name: "Kim", email: "kim@example.com" }],
        bcc: [{ email: "audit@example.com" }],
        subject: "Draft one",
        body: "<p>work in progress</p>",
        starred: true,
        metadata: { stage: "review" },
        custom_headers: [{ name: "X-Draft-Tag", value: "t1" }],
        attachments: [{ filename: "notes.txt", content_type: "text/plain", content: "bm90ZXM=" }],
      }),
    );
  });

  test("POST answers 200 with a draft object in the drafts folder", () => {
    expect(draft.object).toBe("draft");
    expect(draft.folders).toEqual(["drafts"]);
    expect(draft.subject).toBe("Draft one");
    expect(draft.starred).toBe(true);
    expect(draft.unread).toBe(false);
    expect(draft.metadata).toEqual({ stage: "review" });
    expect(draft.bcc).toEqual([{ email: "audit@example.com" }]);
    expect(draft.attachments.map((x: any) => x.filename)).toEqual(["notes.txt"]);
  });

  test("it is stored as a message with \\Draft, its Bcc and custom headers in the MIME", async () => {
    const row = await messageRow(t, a.id, draft.id);
    expect(row?.draft).toBe(true);
    expect(row?.folderId).toBe("drafts");
    const raw = await rawOf(t, a.id, draft.id);
    expect(headerOf(raw, "Bcc")).toBe("audit@example.com");
    expect(headerOf(raw, "X-Draft-Tag")).toBe("t1");
  });

  test("GET /drafts lists it and GET /drafts/{id} returns it", async () => {
    const list = expectOk(await call(t, "GET", drafts(a.id)));
    expect(list.map((d: any) => d.id)).toEqual([draft.id]);
    expect(list[0].object).toBe("draft");
    const one = expectOk(await call(t, "GET", drafts(a.id, `/${draft.id}`)));
    expect(one.id).toBe(draft.id);
    expect(one.body).toContain("work in progress");
    const selected = expectOk(await call(t, "GET", drafts(a.id, `/${draft.id}?select=id,subject`)));
    expect(selected).toEqual({ id: draft.id, subject: "Draft one" });
  });

  test("it is in GET /messages?in=drafts as a draft, and not in the default messages list", async () => {
    const inDrafts = await folderMessages(t, a.id, "drafts");
    expect(inDrafts.map((m) => [m.id, m.object])).toEqual([[draft.id, "draft"]]);
    const all = expectOk(await call(t, "GET", `/v3/grants/${a.id}/messages`));
    expect(all.map((m: any) => m.id)).not.toContain(draft.id);
  });

  test("the draft list ignores `in` and pages with a cursor", async () => {
    for (let i = 0; i < 3; i++) expectOk(await create(a.id, { subject: `page ${i}` }));
    const first = await call(t, "GET", drafts(a.id, "?limit=2&in=inbox"));
    expect(first.body.data.length).toBe(2);
    const second = await call(t, "GET", drafts(a.id, `?limit=2&page_token=${first.body.next_cursor}`));
    expect(second.body.data.length).toBe(2);
    expect(second.body.next_cursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((d: any) => d.id);
    expect(new Set(ids).size).toBe(4);
    const filtered = expectOk(await call(t, "GET", drafts(a.id, "?subject=page%201")));
    expect(filtered.map((d: any) => d.subject)).toEqual(["page 1"]);
  });

  test("a message outside Drafts is not a draft: 404", async () => {
    const b = await account(t);
    const sent = expectOk(await sendJson(t, b.id, { to: [{ email: "kim@example.com" }] }));
    expectError(await call(t, "GET", drafts(b.id, `/${sent.id}`)), 404, "not_found_error");
    expectError(await update(b.id, sent.id, { subject: "x" }), 404, "not_found_error");
    expectError(await call(t, "DELETE", drafts(b.id, `/${sent.id}`)), 404, "not_found_error");
    expectError(await call(t, "GET", drafts(b.id, "/nosuchdraft")), 404, "not_found_error");
  });

  test("a multipart create takes its JSON from a part named draft (or message) and files as attachments", async () => {
    for (const part of ["draft", "message"]) {
      const form = new FormData();
      form.append(part, JSON.stringify({ subject: `multipart ${part}`, to: [{ email: "kim@example.com" }] }));
      form.append(
        "file0",
        new Blob([new Uint8Array([0, 1, 2, 255])], { type: "application/octet-stream" }),
        "b.bin",
      );
      const made = expectOk(await call(t, "POST", drafts(a.id), { form }));
      expect(made.subject).toBe(`multipart ${part}`);
      expect(made.attachments.map((x: any) => [x.filename, x.size])).toEqual([["b.bin", 4]]);
    }
  });

  test("compose errors are 400s naming the field; drafts need no recipients", async () => {
    expectError(await create(a.id, { to: [{ email: "nope" }] }), 400, "invalid_request_error", "to[0].email");
    expectError(await create(a.id, { use_draft: true }), 400, "invalid_request_error", "use_draft");
    expect(expectOk(await create(a.id, {})).to).toEqual([]);
  });
});

describe("update", () => {
  let a: Account;
  let draft: Record<string, any>;
  let messageId: string | undefined;
  beforeAll(async () => {
    a = await account(t);
    draft = expectOk(
      await create(a.id, {
        to: [{ email: "kim@example.com" }],
        cc: [{ email: "lee@example.com" }],
        bcc: [{ email: "audit@example.com" }],
        subject: "v1",
        body: "<p>first body</p>",
        metadata: { k: "v" },
        custom_headers: [{ name: "X-Keep", value: "yes" }],
        attachments: [{ filename: "a.txt", content_type: "text/plain", content: "YWFh" }],
      }),
    );
    messageId = headerOf(await rawOf(t, a.id, draft.id), "Message-ID");
  });

  test("PUT replaces only the fields it names; the id and the Message-ID stay", async () => {
    const before = await messageRow(t, a.id, draft.id);
    const updated = expectOk(await update(a.id, draft.id, { subject: "v2" }));
    expect(updated.id).toBe(draft.id);
    expect(updated.object).toBe("draft");
    expect(updated.subject).toBe("v2");
    expect(updated.to).toEqual([{ email: "kim@example.com" }]);
    expect(updated.cc).toEqual([{ email: "lee@example.com" }]);
    expect(updated.bcc).toEqual([{ email: "audit@example.com" }]);
    expect(updated.body).toContain("first body");
    expect(updated.metadata).toEqual({ k: "v" });
    expect(updated.attachments.map((x: any) => [x.filename, x.size])).toEqual([["a.txt", 3]]);
    const raw = await rawOf(t, a.id, draft.id);
    expect(headerOf(raw, "Message-ID")).toBe(messageId as string);
    expect(headerOf(raw, "X-Keep")).toBe("yes");
    const after = await messageRow(t, a.id, draft.id);
    expect(after?.draft).toBe(true);
    // New bytes, so IMAP sees a new UID; never two copies.
    expect(after?.uid).toBeGreaterThan(before?.uid ?? 0);
    expect((await rowsInDrafts(a.id)).length).toBe(1);
  });

  test("attachments, recipients and flags given replace the stored ones; null clears a list", async () => {
    const updated = expectOk(
      await update(a.id, draft.id, {
        to: [{ email: "new@example.com" }],
        cc: null,
        attachments: [{ filename: "b.txt", content_type: "text/plain", content: "YmJiYg==" }],
        starred: true,
        unread: true,
        metadata: { k2: "v2" },
      }),
    );
    expect(updated.to).toEqual([{ email: "new@example.com" }]);
    expect(updated.cc).toEqual([]);
    expect(updated.attachments.map((x: any) => [x.filename, x.size])).toEqual([["b.txt", 4]]);
    expect(updated.starred).toBe(true);
    expect(updated.unread).toBe(true);
    expect(updated.metadata).toEqual({ k2: "v2" });
    expect(updated.subject).toBe("v2");
  });

  test("a plain-text body stays plain text across an update", async () => {
    const plain = expectOk(
      await create(a.id, { subject: "plain", body: "just text\nline two", is_plaintext: true }),
    );
    const updated = expectOk(await update(a.id, plain.id, { subject: "plain 2" }));
    const raw = (await rawOf(t, a.id, plain.id)).toString("latin1");
    expect(raw).not.toContain("text/html");
    expect(updated.snippet).toContain("just text");
  });

  test("webhook events: message.created once, then message.updated for each save", async () => {
    const b = await account(t);
    const made = expectOk(await create(b.id, { subject: "e1" }));
    expectOk(await update(b.id, made.id, { subject: "e2" }));
    const log = (await eventsOf(t, b.id))
      .filter((e) => e.type.startsWith("message."))
      .map((e) => [e.type, JSON.parse(e.objectJson).id]);
    expect(log).toEqual([
      ["message.created", made.id],
      ["message.updated", made.id],
    ]);
  });

  test("concurrent saves all land, one after another; never two copies", async () => {
    const b = await account(t);
    const made = expectOk(await create(b.id, { subject: "race", to: [{ email: "kim@example.com" }] }));
    const results = await Promise.all(
      ["s1", "s2", "s3"].map((subject) => update(b.id, made.id, { subject })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await rowsInDrafts(b.id);
    expect(rows.length).toBe(1);
    expect(["s1", "s2", "s3"]).toContain(rows[0]?.subject ?? "");
    expect(expectOk(await call(t, "GET", drafts(b.id, `/${made.id}`))).to).toEqual([
      { email: "kim@example.com" },
    ]);
  });

  test("an invalid update changes nothing", async () => {
    const res = await update(a.id, draft.id, { to: [{ email: "bad" }] });
    expectError(res, 400, "invalid_request_error", "to[0].email");
    expect(expectOk(await call(t, "GET", drafts(a.id, `/${draft.id}`))).to).toEqual([
      { email: "new@example.com" },
    ]);
  });
});

describe("delete", () => {
  test("DELETE removes a draft for good: not in Drafts, not in Trash", async () => {
    const a = await account(t);
    const draft = expectOk(await create(a.id, { subject: "bye" }));
    expectDeleted(await call(t, "DELETE", drafts(a.id, `/${draft.id}`)));
    expectError(await call(t, "GET", drafts(a.id, `/${draft.id}`)), 404, "not_found_error");
    expect(await folderMessages(t, a.id, "trash")).toEqual([]);
    expect(await rowsInDrafts(a.id)).toEqual([]);
  });
});

describe("send a draft", () => {
  test("it moves to Sent as a message (same id and Message-ID, \\Draft cleared) and is delivered", async () => {
    const a = await account(t);
    const b = await account(t);
    const draft = expectOk(
      await create(a.id, {
        to: [{ email: b.email }, { email: "kim@example.com" }],
        subject: "from a draft",
        body: "<p>ready</p>",
        metadata: { flow: "approve" },
      }),
    );
    const messageId = headerOf(await rawOf(t, a.id, draft.id), "Message-ID");
    const sent = expectOk(await call(t, "POST", drafts(a.id, `/${draft.id}`), { json: {} }));
    expect(sent.object).toBe("message");
    expect(sent.id).toBe(draft.id);
    expect(sent.folders).toEqual(["sent"]);
    expect(sent.unread).toBe(false);
    expect(sent.metadata).toEqual({ flow: "approve" });
    const row = await messageRow(t, a.id, sent.id);
    expect(row?.draft).toBe(false);
    expect(await rowsInDrafts(a.id)).toEqual([]);
    expectError(await call(t, "GET", drafts(a.id, `/${draft.id}`)), 404, "not_found_error");
    expect(headerOf(await rawOf(t, a.id, sent.id), "Message-ID")).toBe(messageId as string);
    const [copy] = await folderMessages(t, b.id, "inbox");
    expect(copy?.subject).toBe("from a draft");
    expect(headerOf(await rawOf(t, b.id, copy?.id), "Message-ID")).toBe(messageId as string);
    expect((await queueRows(t, a.id)).map((r) => r.rcptTo)).toEqual(["kim@example.com"]);
    expect(await createdEventIds(t, b.id)).toEqual([copy?.id]);
    expect((await createdEventIds(t, a.id)).filter((id) => id === sent.id).length).toBe(2);
  });

  test("a draft with no recipients is a 400 and stays a draft", async () => {
    const a = await account(t);
    const draft = expectOk(await create(a.id, { subject: "nobody" }));
    const res = await call(t, "POST", drafts(a.id, `/${draft.id}`), { json: {} });
    expectError(res, 400, "invalid_request_error", "no recipients");
    expect(expectOk(await call(t, "GET", drafts(a.id, `/${draft.id}`))).object).toBe("draft");
  });

  test("a reply draft threads: In-Reply-To set, and the answer joins the original's thread", async () => {
    const a = await account(t);
    const b = await account(t);
    const original = expectOk(await sendJson(t, a.id, { to: [{ email: b.email }], subject: "question" }));
    const [received] = await folderMessages(t, b.id, "inbox");
    const draft = expectOk(
      await create(b.id, {
        to: [{ email: a.email }],
        subject: "Re: question",
        reply_to_message_id: received?.id,
      }),
    );
    const originalId = headerOf(await rawOf(t, a.id, original.id), "Message-ID");
    expect(headerOf(await rawOf(t, b.id, draft.id), "In-Reply-To")).toBe(originalId as string);
    // An update that does not name reply_to_message_id keeps the threading.
    expectOk(await update(b.id, draft.id, { body: "answer" }));
    expect(headerOf(await rawOf(t, b.id, draft.id), "In-Reply-To")).toBe(originalId as string);
    expectOk(await call(t, "POST", drafts(b.id, `/${draft.id}`), { json: {} }));
    expect((await messageRow(t, b.id, received?.id))?.answered).toBe(true);
    const [answer] = await folderMessages(t, a.id, "inbox");
    expect(answer?.thread_id).toBe(original.thread_id);
  });

  test("a draft saved by an IMAP client (APPEND to Drafts with \\Draft) is an API draft and can be sent", async () => {
    const a = await account(t);
    const raw = Buffer.from(
      `From: Desk User <${a.email}>\r\nTo: kim@example.com\r\nBcc: boss@example.com\r\nSubject: from Thunderbird\r\n` +
        "Message-ID: <tb-draft-1@desktop.example>\r\nX-Mozilla-Draft-Info: internal/draft; vcard=0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nTyped in a mail client.\r\n",
    );
    const appended = await t.server.mailboxes.ask(a.id, "append", {
      folderId: "drafts",
      raw,
      flags: { draft: true, seen: true },
    });
    const listed = expectOk(await call(t, "GET", drafts(a.id)));
    expect(listed.map((d: any) => d.id)).toEqual([appended.id]);
    const updated = expectOk(await update(a.id, appended.id, { subject: "from Thunderbird, edited" }));
    expect(updated.bcc).toEqual([{ email: "boss@example.com" }]);
    expect(updated.from).toEqual([{ name: "Desk User", email: a.email }]);
    const sent = expectOk(await call(t, "POST", drafts(a.id, `/${appended.id}`), { json: {} }));
    const sentRaw = await rawOf(t, a.id, sent.id);
    expect(headerOf(sentRaw, "Message-ID")).toBe("<tb-draft-1@desktop.example>");
    expect(headerOf(sentRaw, "Subject")).toBe("from Thunderbird, edited");
    expect((await queueRows(t, a.id)).map((r) => r.rcptTo).sort()).toEqual([
      "boss@example.com",
      "kim@example.com",
    ]);
  });
});

describe("storage quota", () => {
  test("a draft over the account's storage quota is a 403 that says so", async () => {
    const a = await account(t);
    await setStorageQuota(t, a.id, 100);
    expectError(await create(a.id, { subject: "too much" }), 403, "forbidden", "storage quota exceeded");
  });
});
