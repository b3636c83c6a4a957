import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { blobs, events, grants, outboundQueue } from "../../src/store/schema.ts";
import { OTHER_PASSWORD } from "../api/helpers.ts";
import { api, type TestServer } from "../support/server.ts";
import {
  eventually,
  folder,
  type Mailbox,
  mailbox,
  rawMessage,
  rfc822,
  type SubmissionPort,
  startSmtpTestServer,
  submitTransport,
} from "./support/smtp.ts";
import { plainAuth, SmtpWire } from "./support/wire.ts";

/** SMTP submission (465 implicit TLS, 587 STARTTLS) with nodemailer and a raw client. */

let t: TestServer;
beforeAll(async () => {
  t = await startSmtpTestServer({ AGENTBOX_MAX_MESSAGE_BYTES: String(300 * 1024) });
});
afterAll(() => t.stop());

const PORTS: SubmissionPort[] = ["smtps", "submission"];

describe.each(PORTS)("nodemailer on %s", (port) => {
  let a: Mailbox;
  let b: Mailbox;
  beforeAll(async () => {
    a = await mailbox(t, "alice");
    b = await mailbox(t, "bob");
  });

  test("logs in, sends to a hosted account: Sent copy (message.created) and the recipient's INBOX", async () => {
    const transport = submitTransport(t, port, a);
    const info = await transport.sendMail({
      from: a.email,
      to: b.email,
      subject: `hello over ${port}`,
      text: "Hi Bob",
      messageId: `<m-${port}-${Date.now()}@client.example>`,
    });
    transport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 </);
    const [sent] = await folder(t, a.id, "sent");
    expect(sent?.subject).toBe(`hello over ${port}`);
    expect(sent?.unread).toBe(false);
    const [got] = await folder(t, b.id, "inbox");
    expect(got?.subject).toBe(`hello over ${port}`);
    const rows = await t.server.store.read
      .select()
      .from(events)
      .where(and(eq(events.grantId, a.id), eq(events.type, "message.created")));
    expect(rows.map((r) => JSON.parse(r.objectJson).id)).toContain(sent?.id);
  });

  test("the certificate is verified: a client that does not trust it fails", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: t.server.ports[port],
      secure: port === "smtps",
      requireTLS: true,
      auth: { user: a.email, pass: a.password },
      tls: { servername: "localhost" },
    });
    await expect(transport.sendMail({ from: a.email, to: b.email, text: "x" })).rejects.toThrow(
      /certificate|self.signed/i,
    );
    transport.close();
  });
});

describe("the message as the client wrote it", () => {
  let a: Mailbox;
  let b: Mailbox;
  beforeAll(async () => {
    a = await mailbox(t, "writer");
    b = await mailbox(t, "reader");
  });

  test("Message-ID, In-Reply-To and References are kept byte for byte; recipients get a Received on top", async () => {
    const head =
      `From: Writer <${a.email}>\r\n` +
      `To: ${b.email}\r\n` +
      "Subject: threading\r\n" +
      "Date: Tue, 01 Sep 2026 10:00:00 +0200\r\n" +
      "Message-ID:   <Odd.ID+1@Client.Example>\r\n" +
      "In-Reply-To: <parent@elsewhere.example>\r\n" +
      "References: <root@elsewhere.example>\r\n\t<parent@elsewhere.example>\r\n" +
      "MIME-Version: 1.0\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n";
    const raw = `${head}\r\nBody line.\r\n`;
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({ envelope: { from: a.email, to: [b.email] }, raw });
    transport.close();
    const [sent] = await folder(t, a.id, "sent");
    const stored = await rawMessage(t, a.id, sent?.id);
    expect(stored.toString("latin1")).toBe(raw);
    const [got] = await folder(t, b.id, "inbox");
    const delivered = (await rawMessage(t, b.id, got?.id)).toString("latin1");
    // RFC 5321 §4.4: the submission server's trace field, on top of the bytes as written.
    expect(delivered).toMatch(
      /^Received: from [^\r\n]+ \(\[127\.0\.0\.1\]\)\r\n\tby mail\.agentbox\.test \(agentbox\) with ESMTPSA id [^;\r\n]+;\r\n\t[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\r\n/,
    );
    expect(delivered.endsWith(raw)).toBe(true);
    expect(delivered.split("\r\n").filter((l) => l.startsWith("Received:")).length).toBe(1);
  });

  test("a queued message carries the Received too; the Sent copy does not", async () => {
    const c = await mailbox(t, "tracer");
    const raw = rfc822({ From: c.email, To: "kim@remote.example", Subject: "traced" });
    const transport = submitTransport(t, "submission", c);
    await transport.sendMail({ envelope: { from: c.email, to: ["kim@remote.example"] }, raw });
    transport.close();
    const [sent] = await folder(t, c.id, "sent");
    const kept = (await rawMessage(t, c.id, sent?.id)).toString("latin1");
    expect(kept).not.toContain("Received:");
    expect(kept.endsWith(raw)).toBe(true);
    const [row] = await t.server.store.read
      .select({ data: blobs.data })
      .from(outboundQueue)
      .innerJoin(blobs, eq(blobs.hash, outboundQueue.blobHash))
      .where(eq(outboundQueue.grantId, c.id));
    const queued = Buffer.from(row?.data as Uint8Array).toString("latin1");
    expect(queued).toMatch(
      /^Received: from [^\r\n]+\r\n\tby mail\.agentbox\.test \(agentbox\) with ESMTPSA id /,
    );
    expect(queued.endsWith(raw)).toBe(true);
  });

  test("a missing Message-ID and Date are added (under the account's domain)", async () => {
    const raw = rfc822({ From: a.email, To: b.email, Subject: "bare" });
    const transport = submitTransport(t, "submission", a);
    await transport.sendMail({ envelope: { from: a.email, to: [b.email] }, raw });
    transport.close();
    const sent = (await folder(t, a.id, "sent")).find((m) => m.subject === "bare");
    const stored = (await rawMessage(t, a.id, sent?.id)).toString("latin1");
    expect(stored).toMatch(/^Message-ID: <[^@]+@agents\.localhost>\r\nDate: .+\r\nFrom: /);
    expect(stored.endsWith(raw)).toBe(true);
  });

  test("a remote recipient is queued once (the same outbound path as an API send)", async () => {
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({
      from: a.email,
      to: "kim@remote.example",
      cc: b.email,
      subject: "out",
      text: "x",
    });
    transport.close();
    const rows = await t.server.store.read
      .select()
      .from(outboundQueue)
      .where(eq(outboundQueue.grantId, a.id));
    expect(rows.map((r) => [r.rcptTo, r.status, r.mailFrom])).toEqual([
      ["kim@remote.example", "queued", a.email],
    ]);
    expect((await folder(t, b.id, "inbox")).some((m) => m.subject === "out")).toBe(true);
  });

  test("Bcc given only in the envelope reaches the recipient; a Bcc header is not delivered", async () => {
    const c = await mailbox(t, "hidden");
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({ from: a.email, to: b.email, bcc: c.email, subject: "with bcc", text: "x" });
    transport.close();
    const [got] = await folder(t, c.id, "inbox");
    expect(got?.subject).toBe("with bcc");
    expect((await rawMessage(t, c.id, got?.id)).toString("latin1")).not.toMatch(/^Bcc:/im);
  });
});

describe("refusals", () => {
  let a: Mailbox;
  beforeAll(async () => {
    a = await mailbox(t, "strict");
  });

  test("MAIL FROM of another address: 553 5.7.1", async () => {
    const transport = submitTransport(t, "smtps", a);
    const err = await transport
      .sendMail({
        envelope: { from: "boss@agents.localhost", to: ["x@remote.example"] },
        raw: "Subject: x\r\n\r\nx",
      })
      .catch((e) => e);
    transport.close();
    expect(err.responseCode).toBe(553);
    expect(err.response).toMatch(/^553 5\.7\.1 .*sends only as itself/);
  });

  test("a From header of another address: 553 5.7.1, nothing stored or queued", async () => {
    const transport = submitTransport(t, "submission", a);
    const raw = rfc822({ From: "ceo@agents.localhost", To: "x@remote.example", Subject: "spoof" });
    const err = await transport
      .sendMail({ envelope: { from: a.email, to: ["x@remote.example"] }, raw })
      .catch((e) => e);
    transport.close();
    expect(err.responseCode).toBe(553);
    expect(err.response).toMatch(/^553 5\.7\.1 From header <ceo@agents\.localhost> is not/);
    expect(await folder(t, a.id, "sent")).toEqual([]);
  });

  test("a second From, or a Sender of another address: 553 5.7.1, nothing stored or queued", async () => {
    const cases = [
      [`From: ${a.email}\r\nFrom: ceo@agents.localhost`, /^553 5\.7\.1 the message has 2 From fields/],
      [
        `From: ${a.email}\r\nSender: ceo@agents.localhost`,
        /^553 5\.7\.1 Sender header <ceo@agents\.localhost> is not/,
      ],
      [
        `From: ${a.email}\r\nSender: ${a.email}\r\nSender: ceo@agents.localhost`,
        /^553 5\.7\.1 the message has 2 Sender fields/,
      ],
      [`From: ${a.email}, ceo@agents.localhost`, /^553 5\.7\.1 From header <.*ceo@agents\.localhost> is not/],
    ] as const;
    for (const [fields, expected] of cases) {
      const transport = submitTransport(t, "smtps", a);
      const raw = `${fields}\r\nTo: x@remote.example\r\nSubject: spoof\r\n\r\nx\r\n`;
      const err = await transport
        .sendMail({ envelope: { from: a.email, to: ["x@remote.example"] }, raw })
        .catch((e) => e);
      transport.close();
      expect(err.responseCode, fields).toBe(553);
      expect(err.response, fields).toMatch(expected);
    }
    expect(await folder(t, a.id, "sent")).toEqual([]);
    const queued = await t.server.store.read
      .select()
      .from(outboundQueue)
      .where(eq(outboundQueue.grantId, a.id));
    expect(queued).toEqual([]);
  });

  test("a Sender naming the account itself is accepted", async () => {
    const transport = submitTransport(t, "smtps", a);
    const raw = `From: Team <${a.email}>\r\nSender: ${a.email}\r\nTo: x@remote.example\r\nSubject: own sender\r\n\r\nx\r\n`;
    await transport.sendMail({ envelope: { from: a.email, to: ["x@remote.example"] }, raw });
    transport.close();
    expect((await folder(t, a.id, "sent")).map((m) => m.subject)).toContain("own sender");
  });

  test("SIZE is advertised; a declared size over it is refused at MAIL, an actual one at DATA: 552 5.3.4", async () => {
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    expect((await wire.read()).code).toBe(220);
    const ehlo = await wire.command("EHLO client.example");
    expect(ehlo.lines).toContain(`SIZE ${300 * 1024}`);
    expect(ehlo.lines.some((l) => l.startsWith("AUTH") && l.includes("PLAIN") && l.includes("LOGIN"))).toBe(
      true,
    );
    expect((await wire.command(`AUTH PLAIN ${plainAuth(a.email, a.password)}`)).code).toBe(235);
    const big = await wire.command(`MAIL FROM:<${a.email}> SIZE=${400 * 1024}`);
    expect(big.code).toBe(552);
    expect(big.text).toMatch(/^5\.3\.4 /);
    wire.close();

    const transport = submitTransport(t, "smtps", a);
    const err = await transport
      .sendMail({ from: a.email, to: "x@remote.example", text: "y".repeat(400 * 1024) })
      .catch((e) => e);
    transport.close();
    expect(err.responseCode).toBe(552);
    expect(err.response).toMatch(/^552 5\.3\.4 /);
  });

  test("AUTH on 587 before STARTTLS: 538 5.7.11; AUTH is not advertised in plaintext", async () => {
    const wire = await SmtpWire.open(t.server.ports.submission);
    expect((await wire.read()).code).toBe(220);
    const ehlo = await wire.command("EHLO client.example");
    expect(ehlo.lines).toContain("STARTTLS");
    expect(ehlo.lines.some((l) => l.startsWith("AUTH"))).toBe(false);
    const auth = await wire.command(`AUTH PLAIN ${plainAuth(a.email, a.password)}`);
    expect(auth.code).toBe(538);
    expect(auth.text).toMatch(/^5\.7\.11 /);
    const mail = await wire.command(`MAIL FROM:<${a.email}>`);
    expect(mail.code).toBe(530);
    expect((await wire.startTls(t.server.tls.cert)).code).toBe(220);
    expect((await wire.command("EHLO client.example")).lines.some((l) => l.startsWith("AUTH"))).toBe(true);
    expect((await wire.command(`AUTH PLAIN ${plainAuth(a.email, a.password)}`)).code).toBe(235);
    wire.close();
  });

  test("an account without an app password: 535 5.7.8, as for a wrong password", async () => {
    const res = await api(t, "POST", "/v3/connect/custom", {
      provider: "nylas",
      settings: { email: `nopass-${Date.now()}@agents.localhost` },
    });
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    await wire.read();
    await wire.command("EHLO c");
    const auth = await wire.command(`AUTH PLAIN ${plainAuth(res.body.data.email, "Whatever12345678901")}`);
    expect(auth.code).toBe(535);
    expect(auth.text).toBe("5.7.8 authentication failed: wrong account email or app password");
    wire.close();
  });

  test("wrong password: 535 5.7.8; LOGIN works too", async () => {
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    await wire.read();
    await wire.command("EHLO c");
    const bad = await wire.command(`AUTH PLAIN ${plainAuth(a.email, "Wrong-password-123456")}`);
    expect(bad.code).toBe(535);
    expect(bad.text).toMatch(/^5\.7\.8 /);
    expect((await wire.command("AUTH LOGIN")).code).toBe(334);
    expect((await wire.command(Buffer.from(a.email).toString("base64"))).code).toBe(334);
    expect((await wire.command(Buffer.from(a.password).toString("base64"))).code).toBe(235);
    wire.close();
  });

  test("the app password rotated: the old session's next MAIL gets 535 5.7.8, the new password works", async () => {
    const r = await mailbox(t, "rotating");
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    await wire.read();
    await wire.command("EHLO c");
    expect((await wire.command(`AUTH PLAIN ${plainAuth(r.email, r.password)}`)).code).toBe(235);
    expect((await wire.command(`MAIL FROM:<${r.email}>`)).code).toBe(250);
    expect((await wire.command("RSET")).code).toBe(250);
    const res = await api(t, "PATCH", `/v3/grants/${r.id}`, { settings: { app_password: OTHER_PASSWORD } });
    expect(res.status).toBe(200);
    const after = await wire.command(`MAIL FROM:<${r.email}>`);
    expect(after.code).toBe(535);
    expect(after.text).toMatch(/^5\.7\.8 .*changed/);
    wire.close();
    const transport = submitTransport(t, "smtps", { ...r, password: OTHER_PASSWORD });
    await transport.sendMail({ from: r.email, to: r.email, subject: "new password", text: "x" });
    transport.close();
    const old = submitTransport(t, "smtps", r);
    await expect(old.sendMail({ from: r.email, to: r.email, text: "x" })).rejects.toThrow(/535/);
    old.close();
  });
});

describe("limits that need their own server", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startSmtpTestServer({ AGENTBOX_DAILY_SEND_LIMIT: "2" });
  });
  afterAll(() => s.stop());

  test("over the daily send quota (shared with the API): 451 4.7.0 saying when it resets", async () => {
    const a = await mailbox(s, "quota");
    const viaApi = await api(s, "POST", `/v3/grants/${a.id}/messages/send`, {
      to: [{ email: a.email }],
      subject: "one",
      body: "x",
    });
    expect(viaApi.status).toBe(200);
    const transport = submitTransport(s, "smtps", a);
    await transport.sendMail({ from: a.email, to: a.email, subject: "two", text: "x" });
    const err = await transport
      .sendMail({ from: a.email, to: a.email, subject: "three", text: "x" })
      .catch((e) => e);
    transport.close();
    expect(err.responseCode).toBe(451);
    expect(err.response).toMatch(
      /^451 4\.7\.0 daily send limit reached: .* resets at \d{4}-\d\d-\d\dT00:00:00/,
    );
    expect((await folder(s, a.id, "sent")).map((m) => m.subject).sort()).toEqual(["one", "two"]);
  });

  test("the Sent copy carries the Message-ID an APPEND of the same message would de-duplicate on", async () => {
    const a = await mailbox(s, "dedup");
    const transport = submitTransport(s, "smtps", a);
    await transport.sendMail({
      from: a.email,
      to: a.email,
      subject: "dedup",
      text: "x",
      messageId: "<dedup-1@c.example>",
    });
    transport.close();
    const sent = await eventually(async () => (await folder(s, a.id, "sent"))[0]);
    const row = await s.server.store.read.query.messages.findFirst({
      where: (m, { eq: is }) => is(m.id, sent.id),
    });
    expect(row?.messageIdHeader).toBe("<dedup-1@c.example>");
  });
});

describe("failed logins", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startSmtpTestServer();
  });
  afterAll(() => s.stop());

  test("failed logins from one address are limited: 454 4.7.0 even with the right password", async () => {
    const a = await mailbox(s, "limited");
    const wire = await SmtpWire.open(s.server.ports.smtps, { tls: { ca: s.server.tls.cert } });
    await wire.read();
    await wire.command("EHLO c");
    for (let i = 0; i < 10; i++) {
      const r = await wire.command(`AUTH PLAIN ${plainAuth(a.email, `Wrong-password-${i}xxxxx`)}`);
      expect(r.code).toBe(535);
    }
    wire.close();
    const again = await SmtpWire.open(s.server.ports.smtps, { tls: { ca: s.server.tls.cert } });
    await again.read();
    await again.command("EHLO c");
    const blocked = await again.command(`AUTH PLAIN ${plainAuth(a.email, a.password)}`);
    expect(blocked.code).toBe(454);
    expect(blocked.text).toMatch(/^4\.7\.0 too many failed logins/);
    again.close();
  });
});

describe("with IMAP and the mailbox", () => {
  test("a mail client that APPENDs the message it just sent to Sent gets no duplicate", async () => {
    const a = await mailbox(t, "appender");
    const raw =
      `From: ${a.email}\r\nTo: kim@remote.example\r\nSubject: sent then appended\r\n` +
      "Message-ID: <client-append-1@client.example>\r\nDate: Tue, 01 Sep 2026 10:00:00 +0000\r\n\r\nhello\r\n";
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({ envelope: { from: a.email, to: ["kim@remote.example"] }, raw });
    transport.close();
    const imap = new ImapFlow({
      host: "127.0.0.1",
      port: t.server.ports.imaps,
      secure: true,
      auth: { user: a.email, pass: a.password },
      tls: { ca: t.server.tls.cert, servername: "localhost" },
      logger: false,
    });
    await imap.connect();
    const appended = await imap.append("Sent", raw, ["\\Seen"]);
    const box = await imap.mailboxOpen("Sent");
    expect(box.exists).toBe(1);
    const [only] = await folder(t, a.id, "sent");
    expect(appended && typeof appended === "object" ? appended.uid : 0).toBeGreaterThan(0);
    await imap.logout();
    expect((await folder(t, a.id, "sent")).map((m) => m.id)).toEqual([only?.id]);
  });

  test("a hosted recipient whose mailbox is full: the send stands, the sender gets a bounce", async () => {
    const a = await mailbox(t, "to-full");
    const full = await mailbox(t, "full-rcpt");
    await t.server.store.writer.submit((tx) =>
      tx.update(grants).set({ storageQuotaBytes: 10 }).where(eq(grants.id, full.id)).run(),
    );
    await t.server.mailboxes.remove(full.id); // its actor re-reads the quota
    const transport = submitTransport(t, "smtps", a);
    await transport.sendMail({ from: a.email, to: full.email, subject: "no room", text: "x" });
    transport.close();
    const [sent] = await folder(t, a.id, "sent");
    expect(sent?.subject).toBe("no room");
    const dsn = await eventually(async () => (await folder(t, a.id, "inbox"))[0]);
    expect(dsn.subject).toBe("Undelivered Mail Returned to Sender");
    const body = (await rawMessage(t, a.id, dsn.id)).toString();
    expect(body).toContain(`Final-Recipient: rfc822; ${full.email}`);
    expect(body).toContain("Status: 5.2.2");
    const bounced = await t.server.store.read
      .select()
      .from(events)
      .where(and(eq(events.grantId, a.id), eq(events.type, "message.bounced")));
    expect(JSON.parse(bounced[0]?.objectJson ?? "{}").bounce.type).toBe("MailboxFull");
  });
});
