import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas, { NylasApiError } from "nylas";
import {
  type Account,
  account,
  folderMessages,
  headerOf,
  pseudoRandomBytes,
  queueRows,
  rawOf,
} from "../api/send-helpers.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

/** Sending and drafts through the official Node SDK (nylas@8.4.0), unchanged but for apiUri. */

let t: TestServer;
let nylas: Nylas;
let a: Account;
let b: Account;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_DAILY_SEND_LIMIT: "12" });
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
  a = await account(t, "sdk-a");
  b = await account(t, "sdk-b");
});
afterAll(() => t.stop());

async function apiErrorOf(call: Promise<unknown>): Promise<NylasApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome))
    throw new Error(`expected a NylasApiError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(NylasApiError);
  return outcome.error as NylasApiError;
}

describe("messages.send", () => {
  test("sends to a hosted account: the Sent copy comes back, B's INBOX has the message", async () => {
    const res = await nylas.messages.send({
      identifier: a.id,
      requestBody: {
        to: [{ name: "B", email: b.email }],
        subject: "via the SDK",
        body: "<p>hello from the SDK</p>",
        customHeaders: [{ name: "X-Sdk", value: "8.4.0" }],
      },
    });
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The send envelope carries grant_id beside data (the SDK's type does not declare it).
    expect((res as unknown as { grantId: string }).grantId).toBe(a.id);
    expect(res.data.object).toBe("message");
    expect(res.data.folders).toEqual(["sent"]);
    expect(res.data.unread).toBe(false);
    expect(res.data.subject).toBe("via the SDK");
    const inbox = await nylas.messages.list({ identifier: b.id, queryParams: { in: ["inbox"] } });
    const copy = inbox.data.find((m) => m.subject === "via the SDK");
    expect(copy).toBeDefined();
    expect(headerOf(await rawOf(t, b.id, copy?.id ?? ""), "X-Sdk")).toBe("8.4.0");
  });

  test("attachments under 3 MB go as JSON, over 3 MB as multipart; both arrive byte-exact", async () => {
    const small = Buffer.from(pseudoRandomBytes(1000, 7));
    const large = Buffer.from(pseudoRandomBytes(4 * 1024 * 1024, 9));
    for (const [name, bytes] of [
      ["small.bin", small],
      ["large.bin", large],
    ] as const) {
      await nylas.messages.send({
        identifier: a.id,
        requestBody: {
          to: [{ email: b.email }],
          subject: `attachment ${name}`,
          attachments: [
            { filename: name, contentType: "application/octet-stream", content: bytes, size: bytes.length },
          ],
        },
      });
      const inbox = await folderMessages(t, b.id, "inbox");
      const copy = inbox.find((m) => m.subject === `attachment ${name}`);
      const attachment = copy?.attachments[0];
      expect(attachment?.filename).toBe(name);
      const downloaded = await nylas.attachments.downloadBytes({
        identifier: b.id,
        attachmentId: attachment.id,
        queryParams: { messageId: copy?.id },
      });
      expect(Buffer.from(downloaded).equals(bytes)).toBe(true);
    }
  }, 30_000);

  test("replyToMessageId threads the reply with the original in the recipient's mailbox", async () => {
    const first = await nylas.messages.send({
      identifier: a.id,
      requestBody: { to: [{ email: b.email }], subject: "thread me" },
    });
    const inbox = await folderMessages(t, b.id, "inbox");
    const received = inbox.find((m) => m.subject === "thread me");
    await nylas.messages.send({
      identifier: b.id,
      requestBody: { to: [{ email: a.email }], subject: "Re: thread me", replyToMessageId: received?.id },
    });
    const answers = await nylas.messages.list({
      identifier: a.id,
      queryParams: { in: ["inbox"], subject: "Re: thread me" },
    });
    expect(answers.data.length).toBe(1);
    expect(answers.data[0]?.threadId).toBe(first.data.threadId);
  });

  test("an Idempotency-Key header through overrides: the replay gets the same message", async () => {
    const overrides = { headers: { "Idempotency-Key": `sdk-${crypto.randomUUID()}` } };
    const requestBody = { to: [{ email: "kim@example.com" }], subject: "idempotent via SDK" };
    const one = await nylas.messages.send({ identifier: a.id, requestBody, overrides });
    const two = await nylas.messages.send({ identifier: a.id, requestBody, overrides });
    expect(two.data.id).toBe(one.data.id);
    const err = await apiErrorOf(
      nylas.messages.send({
        identifier: a.id,
        requestBody: { ...requestBody, subject: "changed" },
        overrides,
      }),
    );
    expect(err.statusCode).toBe(409);
    expect(err.type).toBe("api.invalid_idempotent_request");
    const rows = await queueRows(t, a.id);
    expect(rows.filter((r) => r.messageId === one.data.id).length).toBe(1);
  });

  test("errors are NylasApiErrors: a foreign From is 400, an unknown reply is 404", async () => {
    const from = await apiErrorOf(
      nylas.messages.send({
        identifier: a.id,
        requestBody: { to: [{ email: "kim@example.com" }], from: [{ email: "ceo@example.com" }] },
      }),
    );
    expect(from.statusCode).toBe(400);
    expect(from.message).toContain("from[0].email");
    const reply = await apiErrorOf(
      nylas.messages.send({
        identifier: a.id,
        requestBody: { to: [{ email: "kim@example.com" }], replyToMessageId: "missing" },
      }),
    );
    expect(reply.statusCode).toBe(404);
  });
});

describe("drafts", () => {
  test("create, find, update, list, send and destroy", async () => {
    const created = await nylas.drafts.create({
      identifier: a.id,
      requestBody: {
        to: [{ email: b.email }],
        cc: [{ email: "kim@example.com" }],
        subject: "SDK draft",
        body: "<p>draft body</p>",
        attachments: [
          { filename: "d.txt", contentType: "text/plain", content: Buffer.from("draft file"), size: 10 },
        ],
      },
    });
    const draft = created.data;
    expect(draft.object).toBe("draft");
    expect(draft.folders).toEqual(["drafts"]);

    const found = await nylas.drafts.find({ identifier: a.id, draftId: draft.id });
    expect(found.data.subject).toBe("SDK draft");
    expect(found.data.attachments?.map((x) => x.filename)).toEqual(["d.txt"]);

    const updated = await nylas.drafts.update({
      identifier: a.id,
      draftId: draft.id,
      requestBody: { subject: "SDK draft, edited" },
    });
    expect(updated.data.id).toBe(draft.id);
    expect(updated.data.subject).toBe("SDK draft, edited");
    expect(updated.data.cc).toEqual([{ email: "kim@example.com" }]);
    expect(updated.data.attachments?.map((x) => x.filename)).toEqual(["d.txt"]);

    const listed = await nylas.drafts.list({ identifier: a.id });
    expect(listed.data.map((d) => d.id)).toContain(draft.id);

    const sent = await nylas.drafts.send({ identifier: a.id, draftId: draft.id });
    expect(sent.data.object).toBe("message");
    expect(sent.data.folders).toEqual(["sent"]);
    const afterSend = await nylas.drafts.list({ identifier: a.id });
    expect(afterSend.data.map((d) => d.id)).not.toContain(draft.id);
    const inbox = await folderMessages(t, b.id, "inbox");
    const copy = inbox.find((m) => m.subject === "SDK draft, edited");
    expect(copy?.attachments.map((x: any) => x.filename)).toEqual(["d.txt"]);

    const doomed = await nylas.drafts.create({
      identifier: a.id,
      requestBody: { to: [], subject: "delete me" },
    });
    const destroyed = await nylas.drafts.destroy({ identifier: a.id, draftId: doomed.data.id });
    expect(destroyed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const gone = await apiErrorOf(nylas.drafts.find({ identifier: a.id, draftId: doomed.data.id }));
    expect(gone.statusCode).toBe(404);
  });

  test("a draft over 3 MB goes multipart (JSON in `message`) and keeps its attachment byte-exact", async () => {
    const bytes = Buffer.from(pseudoRandomBytes(3 * 1024 * 1024 + 10, 11));
    const created = await nylas.drafts.create({
      identifier: a.id,
      requestBody: {
        to: [],
        subject: "big draft",
        attachments: [
          {
            filename: "big.bin",
            contentType: "application/octet-stream",
            content: bytes,
            size: bytes.length,
          },
        ],
      },
    });
    const attachment = created.data.attachments?.[0];
    expect(attachment?.size).toBe(bytes.length);
    const downloaded = await nylas.attachments.downloadBytes({
      identifier: a.id,
      attachmentId: attachment?.id ?? "",
      queryParams: { messageId: created.data.id },
    });
    expect(Buffer.from(downloaded).equals(bytes)).toBe(true);
  }, 30_000);
});

describe("scheduled send", () => {
  test("send with sendAt schedules (202); list, find and stop through the SDK", async () => {
    const sendAt = Math.floor(Date.now() / 1000) + 3600;
    const res = await nylas.messages.send({
      identifier: a.id,
      requestBody: { to: [{ email: b.email }], subject: "scheduled via the SDK", sendAt },
    });
    expect(res.data.scheduleId).toMatch(/^[0-9a-z]{25}$/);
    expect(res.data.sendAt).toBe(sendAt);
    const scheduleId = res.data.scheduleId as string;
    const list = await nylas.messages.listScheduledMessages({ identifier: a.id });
    const listed = list.data as unknown as { scheduleId: string; status: { code: string } }[];
    expect(listed.find((s) => s.scheduleId === scheduleId)?.status.code).toBe("pending");
    const found = await nylas.messages.findScheduledMessage({ identifier: a.id, scheduleId });
    expect(found.data.status.code).toBe("pending");
    const stopped = await nylas.messages.stopScheduledMessage({ identifier: a.id, scheduleId });
    expect(stopped.data.message).toContain("cancelled");
    const after = await nylas.messages.findScheduledMessage({ identifier: a.id, scheduleId });
    expect(after.data.status.code).toBe("cancelled");
    const missing = await apiErrorOf(
      nylas.messages.findScheduledMessage({ identifier: a.id, scheduleId: "nope" }),
    );
    expect(missing.statusCode).toBe(404);
  });
});
