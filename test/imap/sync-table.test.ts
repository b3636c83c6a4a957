/**
 * The seeds' "What syncs bidirectionally" table, row by row, in both directions: a change on one
 * surface is seen on the other (the API reads it; an IMAP session in IDLE is told at once), and
 * fires its webhook (signed, from the one event log), whichever surface made it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import nodemailer from "nodemailer";
import { api } from "../support/server.ts";
import { type Delivery, Receiver, subscribe } from "../webhooks/receiver.ts";
import {
  deliver,
  type ImapClient,
  type ImapFixture,
  imapAppend,
  imapFixture,
  message,
  PASSWORD,
} from "./harness.ts";

let f: ImapFixture;
let receiver: Receiver;

beforeAll(async () => {
  f = await imapFixture();
  receiver = Receiver.start();
  await subscribe(f.t, receiver.url, [
    "message.created",
    "message.updated",
    "message.deleted",
    "folder.created",
  ]);
});
afterAll(async () => {
  await f.stop();
  await receiver.stop();
});

const about = (type: string, id: string) => (d: Delivery) =>
  d.body.type === type && d.body.data.object.id === id;
const webhook = async (type: string, id: string) =>
  (await receiver.waitFor(1, about(type, id)))[0]?.body.data.object;

async function idle(c: ImapClient): Promise<void> {
  c.write("idle IDLE\r\n");
  expect(await c.line()).toBe("+ idling");
}
async function done(c: ImapClient): Promise<void> {
  c.write("DONE\r\n");
  expect((await c.until("idle")).tagged).toBe("idle OK IDLE terminated");
}
const getMessage = async (grantId: string, id: string) =>
  (await api(f.t, "GET", `/v3/grants/${grantId}/messages/${id}`)).body.data;

describe("IMAP change → API, with its webhook", () => {
  test("mark read / unread via STORE → API unread → message.updated", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await c.ok("a1 STORE 1 +FLAGS (\\Seen)");
    expect((await getMessage(grantId, m.id)).unread).toBe(false);
    expect((await webhook("message.updated", m.id)).unread).toBe(false);
    await c.ok("a2 STORE 1 -FLAGS (\\Seen)");
    expect((await getMessage(grantId, m.id)).unread).toBe(true);
    await receiver.waitFor(2, about("message.updated", m.id));
  });

  test("star via STORE → API starred → message.updated", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await c.ok("a1 STORE 1 +FLAGS (\\Flagged)");
    expect((await getMessage(grantId, m.id)).starred).toBe(true);
    expect((await webhook("message.updated", m.id)).starred).toBe(true);
  });

  test("move via MOVE → API folders → message.updated", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await c.ok("a1 MOVE 1 Archive");
    expect((await getMessage(grantId, m.id)).folders).toEqual(["archive"]);
    expect((await webhook("message.updated", m.id)).folders).toEqual(["archive"]);
  });

  test("delete via EXPUNGE → API sees it in trash → message.updated", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await c.ok("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
    await c.ok("a2 EXPUNGE");
    expect((await getMessage(grantId, m.id)).folders).toEqual(["trash"]);
    // The STORE of \Deleted was a message.updated too; the expunge's says trash.
    await receiver.waitFor(
      1,
      (d) => about("message.updated", m.id)(d) && d.body.data.object.folders[0] === "trash",
    );
  });

  test("EXPUNGE in Trash deletes → API 404 → message.deleted", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message(), "trash");
    const c = await f.client(email);
    await c.ok("s SELECT Trash");
    await c.ok("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
    await c.ok("a2 EXPUNGE");
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${m.id}`)).status).toBe(404);
    await webhook("message.deleted", m.id);
  });

  test("create folder via CREATE → API GET /folders → folder.created", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a1 CREATE Receipts");
    const folders = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data;
    const created = folders.find((x: any) => x.name === "Receipts");
    expect(created).toBeDefined();
    expect((await webhook("folder.created", created.id)).name).toBe("Receipts");
  });

  test("APPEND (a draft saved by a client) → API draft → message.created", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    expect(
      await imapAppend(c, "a1", "Drafts", message({ subject: "Draft from Thunderbird" }), "\\Draft"),
    ).toMatch(/^a1 OK/);
    const drafts = (await api(f.t, "GET", `/v3/grants/${grantId}/drafts`)).body.data;
    expect(drafts.map((d: any) => d.subject)).toEqual(["Draft from Thunderbird"]);
    await webhook("message.created", drafts[0].id);
  });
});

describe("API change → IMAP (pushed to a session in IDLE)", () => {
  test("new inbound message (sent by another account through the API) → EXISTS → message.created", async () => {
    const bob = await f.account();
    const alice = await f.account();
    const c = await f.client(bob.email);
    await c.ok("s SELECT INBOX");
    await idle(c);
    const res = await api(f.t, "POST", `/v3/grants/${alice.grantId}/messages/send`, {
      to: [{ email: bob.email }],
      subject: "Hi Bob",
      body: "hello",
    });
    expect(res.status).toBe(200);
    expect(await c.line()).toBe("* 1 EXISTS");
    expect(await c.line()).toBe("* 1 RECENT");
    await done(c);
    expect(await c.ok("f FETCH 1 (ENVELOPE)")).toEqual([expect.stringContaining('"Hi Bob"')]);
    const inbox = (await api(f.t, "GET", `/v3/grants/${bob.grantId}/messages?in=inbox`)).body.data;
    await webhook("message.created", inbox[0].id);
  });

  test("send via API → the Sent folder → message.created", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("s SELECT Sent");
    await idle(c);
    const res = await api(f.t, "POST", `/v3/grants/${grantId}/messages/send`, {
      to: [{ email: "someone@example.com" }],
      subject: "Out",
      body: "x",
    });
    expect(res.status).toBe(200);
    expect(await c.line()).toBe("* 1 EXISTS");
    await c.line();
    await done(c);
    expect(await c.ok("f FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS (\\Seen \\Recent))"]);
    await webhook("message.created", res.body.data.id);
  });

  test("update message via API (read, star) → FETCH FLAGS pushed", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await idle(c);
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { unread: false, starred: true });
    expect(await c.line()).toBe("* 1 FETCH (UID 1 FLAGS (\\Seen \\Flagged \\Recent))");
    await done(c);
  });

  test("move via API → EXPUNGE in the source, EXISTS in the target", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const inbox = await f.client(email);
    const archive = await f.client(email);
    await inbox.ok("s SELECT INBOX");
    await archive.ok("s SELECT Archive");
    await idle(inbox);
    await idle(archive);
    await api(f.t, "PUT", `/v3/grants/${grantId}/messages/${m.id}`, { folders: ["archive"] });
    expect(await inbox.line()).toBe("* 1 EXPUNGE");
    expect(await archive.line()).toBe("* 1 EXISTS");
    await done(inbox);
    await done(archive);
  });

  test("delete via API → EXPUNGE (moved to Trash)", async () => {
    const { email, grantId } = await f.account();
    const m = await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("s SELECT INBOX");
    await idle(c);
    await api(f.t, "DELETE", `/v3/grants/${grantId}/messages/${m.id}`);
    expect(await c.line()).toBe("* 1 EXPUNGE");
    await done(c);
    expect(await c.ok("t STATUS Trash (MESSAGES)")).toEqual(['* STATUS "Trash" (MESSAGES 1)']);
  });

  test("create folder via API → LIST shows it", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await api(f.t, "POST", `/v3/grants/${grantId}/folders`, { name: "From API" });
    expect(await c.ok('l LIST "" "From API"')).toEqual(['* LIST (\\HasNoChildren) "/" "From API"']);
  });

  test("a draft saved through the API appears in Drafts", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("s SELECT Drafts");
    await idle(c);
    const res = await api(f.t, "POST", `/v3/grants/${grantId}/drafts`, { subject: "API draft", body: "b" });
    expect(res.status).toBe(200);
    expect(await c.line()).toBe("* 1 EXISTS");
    await c.line();
    await done(c);
    expect(await c.ok("f FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).toEqual([
      "* 1 FETCH (FLAGS (\\Seen \\Draft \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {22}\r\nSubject: API draft\r\n\r\n)",
    ]);
  });
});

describe("SMTP submission ⇄ IMAP", () => {
  test("send via SMTP → the Sent folder (IDLE push, message.created); the client's APPEND to Sent is not stored twice", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("s SELECT Sent");
    await idle(c);
    const raw = message({
      from: email,
      to: "someone@example.com",
      subject: "via SMTP",
      messageId: "<smtp-1@client.example>",
    });
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: f.t.server.ports.smtps,
      secure: true,
      auth: { user: email, pass: PASSWORD },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    const info = await transport.sendMail({ envelope: { from: email, to: ["someone@example.com"] }, raw });
    transport.close();
    expect(info.response).toMatch(/^250 /);
    expect(await c.line()).toBe("* 1 EXISTS");
    await c.line();
    await done(c);
    const sent = (await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=sent`)).body.data;
    expect(sent.map((m: any) => m.subject)).toEqual(["via SMTP"]);
    await webhook("message.created", sent[0].id);
    // What Thunderbird and Apple Mail do next: APPEND their copy to Sent. It is already there.
    expect(await imapAppend(c, "a1", "Sent", raw, "\\Seen")).toMatch(
      /^a1 OK \[APPENDUID \d+ 1\] APPEND completed: the message was already in this mailbox$/,
    );
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=sent`)).body.data).toHaveLength(1);
  });
});
