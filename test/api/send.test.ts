import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { blobs, sendCounts } from "../../src/store/schema.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { expectError, expectRequestId } from "./helpers.ts";
import {
  type Account,
  account,
  call,
  createdEventIds,
  expectOk,
  folderMessages,
  headerOf,
  messageRow,
  pseudoRandomBytes,
  queueRows,
  rawOf,
  sendJson,
  setStorageQuota,
} from "./send-helpers.ts";

/** POST /v3/grants/{id}/messages/send (reference §3.4), over real HTTP. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const sendPath = (grantId: string, query = "") => `/v3/grants/${grantId}/messages/send${query}`;

function mimeForm(mime: string | Uint8Array): FormData {
  const form = new FormData();
  form.append("mime", new Blob([mime], { type: "message/rfc822" }), "message.eml");
  return form;
}

describe("send between two hosted accounts", () => {
  let a: Account;
  let b: Account;
  let sent: Record<string, any>;
  beforeAll(async () => {
    a = await account(t, "alice");
    b = await account(t, "bob");
    const res = await sendJson(t, a.id, {
      to: [{ name: "Bob", email: b.email }],
      subject: "Hello Bob",
      body: "<p>Hi <b>Bob</b></p>",
      metadata: { campaign: "c1" },
    });
    expectRequestId(res);
    expect(res.body.grant_id).toBe(a.id);
    sent = expectOk(res);
  });

  test("the response is the Sent copy: a read message in sent, from the account", () => {
    expect(sent.object).toBe("message");
    expect(sent.folders).toEqual(["sent"]);
    expect(sent.unread).toBe(false);
    expect(sent.subject).toBe("Hello Bob");
    expect(sent.from).toEqual([{ email: a.email }]);
    expect(sent.to).toEqual([{ name: "Bob", email: b.email }]);
    expect(sent.metadata).toEqual({ campaign: "c1" });
  });

  test("A's Sent holds it, B's INBOX holds a copy, both with the same Message-ID", async () => {
    const inSent = await folderMessages(t, a.id, "sent");
    expect(inSent.map((m) => m.id)).toEqual([sent.id]);
    const inbox = await folderMessages(t, b.id, "inbox");
    expect(inbox.length).toBe(1);
    expect(inbox[0]?.subject).toBe("Hello Bob");
    expect(inbox[0]?.unread).toBe(true);
    const idA = headerOf(await rawOf(t, a.id, sent.id), "Message-ID");
    const idB = headerOf(await rawOf(t, b.id, inbox[0]?.id), "Message-ID");
    expect(idA).toMatch(/^<[^@]+@agents\.localhost>$/);
    expect(idB).toBe(idA as string);
  });

  test("a local delivery queues nothing for SMTP", async () => {
    expect(await queueRows(t, a.id)).toEqual([]);
  });

  test("message.created is recorded for the Sent copy and for the delivered copy", async () => {
    expect(await createdEventIds(t, a.id)).toEqual([sent.id]);
    const inbox = await folderMessages(t, b.id, "inbox");
    expect(await createdEventIds(t, b.id)).toEqual([inbox[0]?.id]);
  });

  test("B replies with reply_to_message_id: A's INBOX gets it in the thread of A's Sent copy", async () => {
    const [original] = await folderMessages(t, b.id, "inbox");
    const res = await sendJson(t, b.id, {
      to: [{ email: a.email }],
      subject: "Re: Hello Bob",
      body: "Thanks!",
      reply_to_message_id: original?.id,
    });
    const replied = expectOk(res);
    expect(replied.in_reply_to).toBe(headerOf(await rawOf(t, b.id, original?.id), "Message-ID") as string);
    // The answered message gets \Answered.
    expect((await messageRow(t, b.id, original?.id))?.answered).toBe(true);
    const inboxA = await folderMessages(t, a.id, "inbox");
    expect(inboxA.length).toBe(1);
    expect(inboxA[0]?.subject).toBe("Re: Hello Bob");
    expect(inboxA[0]?.thread_id).toBe(sent.thread_id);
    const thread = expectOk(await call(t, "GET", `/v3/grants/${a.id}/threads/${sent.thread_id}`));
    expect([...thread.message_ids].sort()).toEqual([sent.id, inboxA[0]?.id].sort());
  });

  test("an unknown reply_to_message_id is a 404 and sends nothing", async () => {
    const res = await sendJson(t, a.id, { to: [{ email: b.email }], reply_to_message_id: "nosuchmessage" });
    expectError(res, 404, "not_found_error", "nosuchmessage");
    expect((await folderMessages(t, a.id, "sent")).length).toBe(1);
  });
});

describe("recipients outside this server", () => {
  test("an external recipient gets an outbound_queue row; the API answers 200", async () => {
    const a = await account(t);
    const sent = expectOk(
      await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], subject: "out", body: "x" }),
    );
    const rows = await queueRows(t, a.id);
    expect(rows.length).toBe(1);
    const row = rows[0];
    expect(row?.rcptTo).toBe("kim@example.com");
    expect(row?.mailFrom).toBe(a.email);
    expect(row?.messageId).toBe(sent.id);
    expect(row?.status).toBe("queued");
    expect(row?.attempts).toBe(0);
    expect(Math.abs((row?.nextAttemptAt ?? 0) - Date.now() / 1000)).toBeLessThan(30);
    const [blob] = await t.server.store.read
      .select()
      .from(blobs)
      .where(eq(blobs.hash, row?.blobHash ?? ""));
    expect(Buffer.from(blob?.data ?? []).equals(await rawOf(t, a.id, sent.id))).toBe(true);
    // The address is the bytes' own hash (taken from the Sent copy's preparation here).
    expect(
      createHash("sha256")
        .update(blob?.data ?? new Uint8Array())
        .digest("hex"),
    ).toBe(row?.blobHash ?? "");
  });

  test("Bcc: kept in the Sent copy, absent from what local and remote recipients get", async () => {
    const a = await account(t);
    const b = await account(t);
    const c = await account(t);
    const sent = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: b.email }, { email: "kim@example.com" }],
        bcc: [{ name: "Hidden Céline", email: c.email }, { email: "secret@example.org" }],
        subject: "bcc test",
        body: "x",
      }),
    );
    expect(sent.bcc).toEqual([{ name: "Hidden Céline", email: c.email }, { email: "secret@example.org" }]);
    expect(headerOf(await rawOf(t, a.id, sent.id), "Bcc")).toContain(c.email);
    for (const g of [b, c]) {
      const [copy] = await folderMessages(t, g.id, "inbox");
      expect(copy?.subject).toBe("bcc test");
      expect(headerOf(await rawOf(t, g.id, copy?.id), "Bcc")).toBeUndefined();
      expect(copy?.bcc).toEqual([]);
    }
    const rows = await queueRows(t, a.id);
    expect(rows.map((r) => r.rcptTo).sort()).toEqual(["kim@example.com", "secret@example.org"]);
    const [blob] = await t.server.store.read
      .select()
      .from(blobs)
      .where(eq(blobs.hash, rows[0]?.blobHash ?? ""));
    const delivered = Buffer.from(blob?.data ?? []);
    expect(headerOf(delivered, "Bcc")).toBeUndefined();
    expect(headerOf(delivered, "Message-ID")).toBe(
      headerOf(await rawOf(t, a.id, sent.id), "Message-ID") as string,
    );
  });

  test("deleting the Sent copy for good keeps the bytes its queued delivery needs", async () => {
    const a = await account(t);
    const sent = expectOk(await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], body: "keep me" }));
    const [row] = await queueRows(t, a.id);
    const res = await call(t, "DELETE", `/v3/grants/${a.id}/messages/${sent.id}?hard_delete=true`);
    expect(res.status).toBe(200);
    const [blob] = await t.server.store.read
      .select()
      .from(blobs)
      .where(eq(blobs.hash, row?.blobHash ?? ""));
    expect(blob).toBeDefined();
  });
});

describe("multipart and attachments", () => {
  test("a 20 MB binary attachment sent multipart arrives byte-exact at B", async () => {
    const a = await account(t);
    const b = await account(t);
    const bytes = pseudoRandomBytes(20 * 1024 * 1024);
    const form = new FormData();
    form.append(
      "message",
      JSON.stringify({ to: [{ email: b.email }], subject: "big file", body: "see attached" }),
    );
    form.append("file0", new Blob([bytes], { type: "application/octet-stream" }), "big.bin");
    const sent = expectOk(await call(t, "POST", sendPath(a.id), { form }));
    expect(sent.attachments.map((x: any) => [x.filename, x.size])).toEqual([["big.bin", bytes.length]]);
    const [copy] = await folderMessages(t, b.id, "inbox");
    const attachment = copy?.attachments[0];
    expect(attachment?.filename).toBe("big.bin");
    const res = await fetch(
      `${t.url}/v3/grants/${b.id}/attachments/${attachment.id}/download?message_id=${copy?.id}`,
      { headers: { authorization: `Bearer ${t.apiKey}` } },
    );
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(got.length).toBe(bytes.length);
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
  }, 60_000);

  test("JSON base64 attachments and custom headers reach the recipient's raw message", async () => {
    const a = await account(t);
    const b = await account(t);
    expectOk(
      await sendJson(t, a.id, {
        to: [{ email: b.email }],
        subject: "with headers",
        body: "x",
        custom_headers: [
          { name: "X-Campaign-ID", value: "spring-42" },
          { name: "List-Unsubscribe", value: "<mailto:unsub@agents.localhost>" },
        ],
        attachments: [{ filename: "hello.txt", content_type: "text/plain", content: "aGVsbG8gd29ybGQ=" }],
      }),
    );
    const [copy] = await folderMessages(t, b.id, "inbox");
    const raw = await rawOf(t, b.id, copy?.id);
    expect(headerOf(raw, "X-Campaign-ID")).toBe("spring-42");
    expect(headerOf(raw, "List-Unsubscribe")).toBe("<mailto:unsub@agents.localhost>");
    expect(copy?.attachments.map((x: any) => [x.filename, x.size])).toEqual([["hello.txt", 11]]);
  });

  test("a multipart form without a message part is a 400 naming to", async () => {
    const a = await account(t);
    const form = new FormData();
    form.append("file0", new Blob(["x"]), "x.txt");
    expectError(
      await call(t, "POST", sendPath(a.id), { form }),
      400,
      "invalid_request_error",
      "to is required",
    );
  });

  test("malformed JSON is a 400", async () => {
    const a = await account(t);
    const res = await fetch(`${t.url}${sendPath(a.id)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toContain("not valid JSON");
  });
});

describe("raw MIME (?type=mime)", () => {
  test("Message-ID, In-Reply-To and References are kept byte-exact; a missing Date is added", async () => {
    const a = await account(t);
    const b = await account(t);
    const mime = [
      `From: Alice <${a.email}>`,
      `To: ${b.email}`,
      "Subject: raw one",
      "Message-ID: <Weird.ID+1@Client.Example>",
      "In-Reply-To: <parent@example.com>",
      "References:   <root@example.com>\r\n  <parent@example.com>",
      "X-Client: raw-test",
      "",
      "Body line 1",
      "",
    ].join("\r\n");
    const sent = expectOk(await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(mime) }));
    const raw = await rawOf(t, a.id, sent.id);
    const text = raw.toString("latin1");
    // Byte-exact: the original bytes follow the added Date line, untouched.
    expect(text.endsWith(mime)).toBe(true);
    expect(text.slice(0, text.length - mime.length)).toMatch(
      /^Date: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$/,
    );
    const [copy] = await folderMessages(t, b.id, "inbox");
    const delivered = (await rawOf(t, b.id, copy?.id)).toString("latin1");
    expect(delivered).toBe(text);
    expect(delivered).toContain("References:   <root@example.com>\r\n  <parent@example.com>\r\n");
  });

  test("a message without Message-ID gets one under the account's domain; Bcc is not delivered", async () => {
    const a = await account(t);
    const b = await account(t);
    const mime = `From: ${a.email}\r\nTo: kim@example.com\r\nBcc: ${b.email}\r\nSubject: hidden\r\n\r\nhi\r\n`;
    const sent = expectOk(await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(mime) }));
    const raw = await rawOf(t, a.id, sent.id);
    expect(headerOf(raw, "Message-ID")).toMatch(/^<[0-9a-f-]{36}@agents\.localhost>$/);
    expect(headerOf(raw, "Bcc")).toBe(b.email);
    const [copy] = await folderMessages(t, b.id, "inbox");
    const delivered = await rawOf(t, b.id, copy?.id);
    expect(headerOf(delivered, "Bcc")).toBeUndefined();
    expect(headerOf(delivered, "Message-ID")).toBe(headerOf(raw, "Message-ID") as string);
    expect((await queueRows(t, a.id)).map((r) => r.rcptTo)).toEqual(["kim@example.com"]);
  });

  test("a second From or a Sender of another address is a 400; a Sender of the account is fine", async () => {
    const a = await account(t);
    const twice = `From: ${a.email}\r\nFrom: ceo@else.example\r\nTo: kim@example.com\r\n\r\nx\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(twice) }),
      400,
      "invalid_request_error",
      "2 From fields",
    );
    const sender = `From: ${a.email}\r\nSender: ceo@else.example\r\nTo: kim@example.com\r\n\r\nx\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(sender) }),
      400,
      "invalid_request_error",
      "Sender header <ceo@else.example> is not this account's own address",
    );
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
    const own = `From: ${a.email}\r\nSender: ${a.email}\r\nTo: kim@example.com\r\n\r\nx\r\n`;
    expectOk(await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(own) }));
  });

  test("a header over AGENTBOX_SMTP_MAX_HEADER_BYTES or _LINES is a 400 naming the limit; nothing is sent", async () => {
    const a = await account(t);
    const { maxHeaderBytes, maxHeaderLines } = t.server.config.smtp;
    const start = `From: ${a.email}\r\nTo: kim@example.com\r\n`;
    // Under both limits, with many folded lines: sent.
    const under = `${start}X-Long: a\r\n${" b\r\n".repeat(maxHeaderLines - 10)}\r\nbody\r\n`;
    expectOk(await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(under) }));
    const lines = `${start}X-Long: a\r\n${" b\r\n".repeat(maxHeaderLines)}\r\nbody\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(lines) }),
      400,
      "invalid_request_error",
      `AGENTBOX_SMTP_MAX_HEADER_LINES (${maxHeaderLines} lines)`,
    );
    const bytes = `${start}X-Big: ${"x".repeat(maxHeaderBytes)}\r\n\r\nbody\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(bytes) }),
      400,
      "invalid_request_error",
      `AGENTBOX_SMTP_MAX_HEADER_BYTES (${maxHeaderBytes} bytes)`,
    );
    // A large body under a small header is not the header's business.
    const bigBody = `${start}Subject: big body\r\n\r\n${"y".repeat(maxHeaderBytes * 2)}\r\n`;
    expectOk(await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(bigBody) }));
    expect(await folderMessages(t, a.id, "sent")).toHaveLength(2);
  });

  test("a From other than the account is a 400; so is a message with no recipients", async () => {
    const a = await account(t);
    const other = `From: someone@else.example\r\nTo: kim@example.com\r\n\r\nx\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(other) }),
      400,
      "invalid_request_error",
      "From header <someone@else.example> is not this account's own address",
    );
    const none = `From: ${a.email}\r\nSubject: nobody\r\n\r\nx\r\n`;
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: mimeForm(none) }),
      400,
      "invalid_request_error",
      "no recipients",
    );
    const noPart = new FormData();
    noPart.append("message", "{}");
    expectError(
      await call(t, "POST", sendPath(a.id, "?type=mime"), { form: noPart }),
      400,
      "invalid_request_error",
      "mime",
    );
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
  });
});

describe("validation", () => {
  let a: Account;
  beforeAll(async () => {
    a = await account(t);
  });

  test("51 recipients is a 400; 50 is accepted", async () => {
    const people = (n: number, p: string) =>
      Array.from({ length: n }, (_, i) => ({ email: `${p}${i}@example.com` }));
    const res = await sendJson(t, a.id, { to: people(30, "t"), cc: people(11, "c"), bcc: people(10, "b") });
    expectError(res, 400, "invalid_request_error", "too many recipients: 51");
    expectOk(await sendJson(t, a.id, { to: people(30, "t"), cc: people(10, "c"), bcc: people(10, "b") }));
    expect((await queueRows(t, a.id)).length).toBe(50);
  });

  test("from other than the account is a 400 naming from[0].email", async () => {
    const res = await sendJson(t, a.id, {
      to: [{ email: "kim@example.com" }],
      from: [{ email: "boss@example.com" }],
    });
    expectError(res, 400, "invalid_request_error", "from[0].email");
  });

  test("a from with the account's address may set the display name", async () => {
    const sent = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: "kim@example.com" }],
        from: [{ name: "Agent Q", email: a.email }],
      }),
    );
    expect(sent.from).toEqual([{ name: "Agent Q", email: a.email }]);
  });

  test("compose errors name the field", async () => {
    expectError(await sendJson(t, a.id, {}), 400, "invalid_request_error", "to is required");
    expectError(
      await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], subject: "a\r\nBcc: x@y.com" }),
      400,
      "invalid_request_error",
      "subject may not contain line breaks",
    );
    expectError(
      await sendJson(t, a.id, { to: [{ email: "kim@example.com" }], html: "x" }),
      400,
      "invalid_request_error",
      "unknown field: html",
    );
  });

  test("an unknown grant is a 404; an unsupported Content-Type is a 400", async () => {
    expectError(
      await sendJson(t, crypto.randomUUID(), { to: [{ email: "kim@example.com" }] }),
      404,
      "not_found_error",
    );
    const res = await fetch(`${t.url}${sendPath(a.id)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(400);
  });
});

describe("Idempotency-Key", () => {
  const body = (to: string, subject = "once") => ({ to: [{ email: to }], subject, body: "only once" });

  test("a replay returns the same response with Idempotent-Response: true and sends nothing more", async () => {
    const a = await account(t);
    const b = await account(t);
    const headers = { "Idempotency-Key": `key-${crypto.randomUUID()}` };
    const first = await sendJson(t, a.id, body(b.email), headers);
    expectOk(first);
    expect(first.headers.get("idempotent-response")).toBeNull();
    const again = await sendJson(t, a.id, body(b.email), headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-response")).toBe("true");
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.grant_id).toBe(a.id);
    expectRequestId(again);
    expect(again.body.request_id).not.toBe(first.body.request_id);
    expect((await folderMessages(t, a.id, "sent")).map((m) => m.id)).toEqual([first.body.data.id]);
    expect((await folderMessages(t, b.id, "inbox")).length).toBe(1);
  });

  test("the same key with a different request is a 409 api.invalid_idempotent_request", async () => {
    const a = await account(t);
    const headers = { "Idempotency-Key": "reused" };
    expectOk(await sendJson(t, a.id, body("kim@example.com"), headers));
    const res = await sendJson(t, a.id, body("kim@example.com", "another"), headers);
    expectError(res, 409, "api.invalid_idempotent_request", "different request");
    // Keys belong to one grant: another account may use the same key.
    const other = await account(t);
    expectOk(await sendJson(t, other.id, body("kim@example.com", "another"), headers));
  });

  test("the same key while the first request runs is a 409 api.concurrent_idempotent_request", async () => {
    const a = await account(t);
    const headers = { "Idempotency-Key": `slow-${crypto.randomUUID()}` };
    const big = Buffer.from(pseudoRandomBytes(8 * 1024 * 1024)).toString("base64");
    const json = {
      ...body("kim@example.com"),
      attachments: [{ filename: "a.bin", content_type: "application/octet-stream", content: big }],
    };
    const results = await Promise.all(Array.from({ length: 4 }, () => sendJson(t, a.id, json, headers)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    for (const r of conflicts) expectError(r, 409, "api.concurrent_idempotent_request");
    expect((await folderMessages(t, a.id, "sent")).length).toBe(1);
  }, 60_000);

  test("a key over 256 characters is a 400 api.invalid_idempotency_key", async () => {
    const a = await account(t);
    const res = await sendJson(t, a.id, body("kim@example.com"), { "Idempotency-Key": "k".repeat(257) });
    expectError(res, 400, "api.invalid_idempotency_key", "256");
    expectOk(await sendJson(t, a.id, body("kim@example.com"), { "Idempotency-Key": "k".repeat(256) }));
  });

  test("a failed send releases its key: the same request may be tried again", async () => {
    const a = await account(t);
    const b = await account(t);
    const headers = { "Idempotency-Key": "after-fix" };
    await setStorageQuota(t, a.id, 10);
    expectError(await sendJson(t, a.id, body(b.email), headers), 403, "forbidden", "storage quota");
    await setStorageQuota(t, a.id, 10_000_000);
    await t.server.mailboxes.remove(a.id); // the actor reloads the quota when it starts again
    expectOk(await sendJson(t, a.id, body(b.email), headers));
  });
});

describe("limits", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ AGENTBOX_DAILY_SEND_LIMIT: "3", AGENTBOX_MAX_MESSAGE_BYTES: "200000" });
  });
  afterAll(() => s.stop());

  test("the 4th send of the day is a 429 that says when the quota resets, with Retry-After", async () => {
    const a = await account(s);
    for (let i = 0; i < 3; i++)
      expectOk(
        await sendJson(s, a.id, { to: [{ email: `r${i}@example.com` }, { email: `q${i}@example.com` }] }),
      );
    const res = await sendJson(s, a.id, { to: [{ email: "kim@example.com" }] });
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    expectError(res, 429, "rate_limit_error", "daily send limit", "3 of 3", reset.toISOString());
    const retryAfter = Number(res.headers.get("retry-after"));
    const expected = (reset.getTime() - Date.now()) / 1000;
    expect(Math.abs(retryAfter - expected)).toBeLessThan(5);
    expect((await folderMessages(s, a.id, "sent")).length).toBe(3);
    expect((await queueRows(s, a.id)).length).toBe(6);
    const counts = await s.server.store.read.select().from(sendCounts).where(eq(sendCounts.grantId, a.id));
    expect(counts).toEqual([{ grantId: a.id, day: now.toISOString().slice(0, 10), count: 3 }]);
  });

  test("concurrent sends cannot overrun the quota", async () => {
    const a = await account(s);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sendJson(s, a.id, { to: [{ email: `c${i}@example.com` }] })),
    );
    expect(results.filter((r) => r.status === 200).length).toBe(3);
    expect(results.filter((r) => r.status === 429).length).toBe(3);
    expect((await folderMessages(s, a.id, "sent")).length).toBe(3);
  });

  test("sending a draft counts toward the quota too", async () => {
    const a = await account(s);
    const draft = expectOk(
      await call(s, "POST", `/v3/grants/${a.id}/drafts`, { json: { to: [{ email: "kim@example.com" }] } }),
    );
    expectOk(await sendJson(s, a.id, { to: [{ email: "kim@example.com" }] }));
    expectOk(await call(s, "POST", `/v3/grants/${a.id}/drafts/${draft.id}`, { json: {} }));
    expectOk(await sendJson(s, a.id, { to: [{ email: "kim@example.com" }] }));
    const late = expectOk(
      await call(s, "POST", `/v3/grants/${a.id}/drafts`, { json: { to: [{ email: "kim@example.com" }] } }),
    );
    const refused = await call(s, "POST", `/v3/grants/${a.id}/drafts/${late.id}`, { json: {} });
    expectError(refused, 429, "rate_limit_error", "daily send limit");
    // The refused send changed nothing: the draft is still a draft.
    expect(expectOk(await call(s, "GET", `/v3/grants/${a.id}/drafts/${late.id}`)).object).toBe("draft");
  });

  test("a message over AGENTBOX_MAX_MESSAGE_BYTES once composed is a 413", async () => {
    const a = await account(s);
    const content = Buffer.from(pseudoRandomBytes(160_000)).toString("base64");
    const res = await sendJson(s, a.id, {
      to: [{ email: "kim@example.com" }],
      attachments: [{ filename: "big.bin", content_type: "application/octet-stream", content }],
    });
    expectError(res, 413, "invalid_request_error", "once composed", "200000");
    expect(await folderMessages(s, a.id, "sent")).toEqual([]);
  });

  test("over the storage quota: the sender gets a 403; a full recipient does not fail the send", async () => {
    const full = await account(s);
    await setStorageQuota(s, full.id, 10);
    expectError(
      await sendJson(s, full.id, { to: [{ email: "kim@example.com" }] }),
      403,
      "forbidden",
      "storage quota exceeded",
    );
    const a = await account(s);
    const ok = await account(s);
    const sent = expectOk(
      await sendJson(s, a.id, { to: [{ email: full.email }, { email: ok.email }], subject: "partly" }),
    );
    expect(sent.folders).toEqual(["sent"]);
    expect(await folderMessages(s, full.id, "inbox")).toEqual([]);
    expect((await folderMessages(s, ok.id, "inbox")).length).toBe(1);
  });
});
