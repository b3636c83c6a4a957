import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import type { TestServer } from "../support/server.ts";
import {
  folder,
  type Mailbox,
  mailbox,
  mxTransport,
  rawMessage,
  startSmtpTestServer,
} from "./support/smtp.ts";
import { plainAuth, SmtpWire } from "./support/wire.ts";

/**
 * Hostile and broken clients: every one gets a protocol-correct answer (or is disconnected) and
 * the server keeps serving everyone else. Timeouts are lowered to 1 s for the slow clients.
 */

let t: TestServer;
let r: Mailbox;

beforeAll(async () => {
  t = await startSmtpTestServer({
    AGENTBOX_SMTP_TIMEOUT_S: "1",
    AGENTBOX_MAX_MESSAGE_BYTES: "100000",
    AGENTBOX_SMTP_MAX_CONNECTIONS_PER_IP: "1500",
  });
  r = await mailbox(t, "target");
});
afterAll(() => t.stop());

async function mx(): Promise<SmtpWire> {
  const wire = await SmtpWire.open(t.server.ports.mx);
  expect((await wire.read()).code).toBe(220);
  return wire;
}

/** The server still does its job: a normal delivery goes through. */
async function stillServes(subject: string): Promise<void> {
  const transport = mxTransport(t);
  await transport.sendMail({
    envelope: { from: "ok@remote.example", to: [r.email] },
    raw: `Subject: ${subject}\r\n\r\nfine\r\n`,
  });
  transport.close();
  expect((await folder(t, r.id, "inbox")).some((m) => m.subject === subject)).toBe(true);
}

describe("pipelining", () => {
  test("a whole transaction in one write: replies in order, one message stored", async () => {
    const wire = await mx();
    wire.write(
      `EHLO pipe.example\r\nMAIL FROM:<p@remote.example>\r\nRCPT TO:<${r.email}>\r\nRCPT TO:<nobody@agents.localhost>\r\nDATA\r\nSubject: pipelined\r\n\r\nbody\r\n.\r\nQUIT\r\n`,
    );
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await wire.read()).code);
    expect(codes).toEqual([250, 250, 250, 550, 354, 250, 221]);
    expect((await folder(t, r.id, "inbox")).filter((m) => m.subject === "pipelined").length).toBe(1);
  });

  test("500 recipients and garbage pipelined in one write: each answered, the session goes on", async () => {
    const wire = await mx();
    let burst = "EHLO pipe.example\r\nMAIL FROM:<p@remote.example>\r\n";
    for (let i = 0; i < 500; i++) burst += `RCPT TO:<n${i}@agents.localhost>\r\n`;
    wire.write(burst);
    expect((await wire.read()).code).toBe(250);
    expect((await wire.read()).code).toBe(250);
    for (let i = 0; i < 500; i++) expect((await wire.read()).code).toBe(550);
    expect((await wire.command("RSET")).code).toBe(250);
    expect((await wire.command("NOOP")).code).toBe(250);
    wire.close();
  });

  test("a client that talks before the greeting is refused (421)", async () => {
    // From an address of its own: 127.0.0.1 went on to MAIL FROM above, so it is greeted at once.
    const sock = connect({ host: "127.0.0.1", port: t.server.ports.mx, localAddress: "127.0.0.9" });
    await new Promise((resolve) => sock.once("connect", resolve));
    sock.write("EHLO early\r\nMAIL FROM:<a@b.example>\r\n");
    const text = await new Promise<string>((resolve) => {
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString();
        if (buf.split("\r\n").length > 3) resolve(buf);
      });
      setTimeout(() => resolve(buf), 1500);
    });
    sock.destroy();
    expect(text).toMatch(/^421 .*too soon/);
  });
});

describe("message content", () => {
  test("bare LF line endings: stored as sent; only CRLF.CRLF ends DATA (no smuggling)", async () => {
    const wire = await mx();
    await wire.command("EHLO lf.example");
    expect((await wire.command("MAIL FROM:<lf@remote.example>")).code).toBe(250);
    expect((await wire.command(`RCPT TO:<${r.email}>`)).code).toBe(250);
    expect((await wire.command("DATA")).code).toBe(354);
    const body =
      "Subject: bare lf\nX-Test: 1\n\nline one\n.\nMAIL FROM:<evil@remote.example>\r\n" +
      `RCPT TO:<${r.email}>\n.\r\nDATA\r\nSubject: smuggled\r\n\r\n.\n` +
      "end\r\n.\r\n";
    wire.write(body);
    const done = await wire.read();
    expect(done.code).toBe(250);
    expect((await wire.command("QUIT")).code).toBe(221);
    const inbox = await folder(t, r.id, "inbox");
    expect(inbox.some((m) => m.subject === "smuggled")).toBe(false);
    const m = inbox.find((x) => x.subject === "bare lf");
    const raw = (await rawMessage(t, r.id, m?.id)).toString("latin1");
    expect(raw.endsWith(body.slice(0, -3))).toBe(true);
  });

  test("8-bit bytes in headers (UTF-8 and not): stored byte for byte, no crash", async () => {
    const wire = await mx();
    await wire.command("EHLO eight.example");
    await wire.command("MAIL FROM:<8@remote.example> BODY=8BITMIME");
    await wire.command(`RCPT TO:<${r.email}>`);
    await wire.command("DATA");
    const raw = Buffer.concat([
      Buffer.from(
        "From: Jürgen Müller <j@remote.example>\r\nSubject: Grüße aus Köln\r\nX-Latin1: caf",
        "utf8",
      ),
      Buffer.from([0xe9, 0xff, 0x00, 0x80]),
      Buffer.from("\r\n\r\nbody\r\n", "utf8"),
    ]);
    wire.write(raw);
    wire.write(".\r\n");
    expect((await wire.read()).code).toBe(250);
    wire.close();
    const m = (await folder(t, r.id, "inbox")).find((x) => x.subject === "Grüße aus Köln");
    expect(m?.from).toEqual([{ name: "Jürgen Müller", email: "j@remote.example" }]);
    const stored = await rawMessage(t, r.id, m?.id);
    expect(stored.subarray(stored.length - raw.length).equals(raw)).toBe(true);
  });

  test("a 60 KB line in the body is stored whole; a 20 KB command line is refused", async () => {
    const wire = await mx();
    await wire.command("EHLO long.example");
    await wire.command("MAIL FROM:<l@remote.example>");
    await wire.command(`RCPT TO:<${r.email}>`);
    await wire.command("DATA");
    const line = "x".repeat(60_000);
    wire.write(`Subject: long line\r\n\r\n${line}\r\n.\r\n`);
    expect((await wire.read()).code).toBe(250);
    const long = await wire.command(`NOOP ${"y".repeat(20_000)}`);
    expect([421, 500, 501]).toContain(long.code);
    wire.close();
    const m = (await folder(t, r.id, "inbox")).find((x) => x.subject === "long line");
    expect((await rawMessage(t, r.id, m?.id)).includes(line)).toBe(true);
    await stillServes("after long lines");
  });

  test("an oversized message: 552 5.3.4, nothing stored, the session can send the next one", async () => {
    const wire = await mx();
    await wire.command("EHLO big.example");
    await wire.command("MAIL FROM:<b@remote.example>");
    await wire.command(`RCPT TO:<${r.email}>`);
    await wire.command("DATA");
    wire.write(`Subject: too big\r\n\r\n${"z".repeat(150_000)}\r\n.\r\n`);
    const reply = await wire.read();
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/^5\.3\.4 /);
    expect((await wire.command("MAIL FROM:<b@remote.example>")).code).toBe(250);
    expect((await wire.command(`RCPT TO:<${r.email}>`)).code).toBe(250);
    expect((await wire.command("DATA")).code).toBe(354);
    expect((await wire.command("Subject: small after big\r\n\r\nok\r\n.")).code).toBe(250);
    wire.close();
    const subjects = (await folder(t, r.id, "inbox")).map((m) => m.subject);
    expect(subjects).toContain("small after big");
    expect(subjects).not.toContain("too big");
  });
});

describe("commands", () => {
  test("unknown commands: 500 each; the tenth ends the session with 421", async () => {
    const wire = await mx();
    const first = await wire.command("FROB something");
    expect(first.code).toBe(500);
    expect(first.text).toMatch(/^5\.5\.2 /);
    for (let i = 0; i < 8; i++) expect((await wire.command(`BOGUS${i}`)).code).toBe(500);
    expect((await wire.command("LAST")).code).toBe(421);
    await wire.waitClosed();
  });

  test("out of order: RCPT before MAIL, DATA before RCPT: 503", async () => {
    const wire = await mx();
    await wire.command("EHLO order.example");
    expect((await wire.command(`RCPT TO:<${r.email}>`)).code).toBe(503);
    expect((await wire.command("MAIL FROM:<o@remote.example>")).code).toBe(250);
    expect((await wire.command("DATA")).code).toBe(503);
    expect((await wire.command("MAIL FROM:<again@remote.example>")).code).toBe(503);
    wire.close();
  });

  test("AUTH on the MX is not a command there; submission without AUTH gets 530", async () => {
    const wire = await mx();
    await wire.command("EHLO auth.example");
    expect((await wire.command(`AUTH PLAIN ${plainAuth(r.email, r.password)}`)).code).toBe(500);
    wire.close();
    const sub = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    await sub.read();
    await sub.command("EHLO c");
    const mail = await sub.command(`MAIL FROM:<${r.email}>`);
    expect(mail.code).toBe(530);
    sub.close();
  });

  test("malformed addresses and parameters: 501/555, never a crash", async () => {
    const wire = await mx();
    await wire.command("EHLO addr.example");
    for (const bad of [
      "MAIL FROM:<<>>",
      "MAIL FROM:",
      "MAIL FROM:<a@b> SIZE=abc",
      `MAIL FROM:<a@b> SIZE=${"9".repeat(30)}`,
    ]) {
      const reply = await wire.command(bad);
      expect(reply.code, bad).toBeGreaterThanOrEqual(500);
    }
    expect((await wire.command("MAIL FROM:<a@remote.example>")).code).toBe(250);
    for (const bad of ["RCPT TO:<>", "RCPT TO:<\u0000@x>", `RCPT TO:<${"a".repeat(300)}@agents.localhost>`]) {
      const reply = await wire.command(bad);
      expect(reply.code, bad).toBeGreaterThanOrEqual(500);
    }
    wire.close();
  });
});

describe("slow and abusive connections", () => {
  test("silent clients are dropped after the idle timeout (421 4.4.2); others are served meanwhile", async () => {
    const silent = await Promise.all(Array.from({ length: 50 }, () => mx()));
    await stillServes("during silence");
    const waited = await Promise.all(silent.map((w) => w.waitClosed(5000)));
    expect(Math.max(...waited)).toBeLessThan(3000);
    expect(silent[0]?.unread()).toMatch(/^421 /);
  });

  test("a client that stops in the middle of DATA is dropped; nothing partial is stored", async () => {
    const wire = await mx();
    await wire.command("EHLO stall.example");
    await wire.command("MAIL FROM:<s@remote.example>");
    await wire.command(`RCPT TO:<${r.email}>`);
    await wire.command("DATA");
    wire.write("Subject: half a message\r\n\r\nthe first half");
    await wire.waitClosed(5000);
    expect((await folder(t, r.id, "inbox")).some((m) => m.subject === "half a message")).toBe(false);
  });

  test("a trickling client (one byte at a time) does not hold up anyone else", async () => {
    const wire = await mx();
    let stop = false;
    const trickle = (async () => {
      for (const ch of "EHLO slow.example\r\nMAIL FROM:<slow@remote.example>\r\n") {
        if (stop || wire.closed) break;
        wire.write(ch);
        await Bun.sleep(300);
      }
    })();
    await stillServes("while trickling");
    stop = true;
    await trickle;
    wire.close();
  });

  test("1,000 concurrent garbage connections (MX and the TLS port): the server stays up", async () => {
    const garbage = Buffer.alloc(4096);
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          new Promise<void>((resolve) => {
            const port = i % 2 === 0 ? t.server.ports.mx : t.server.ports.smtps;
            const sock = connect({ host: "127.0.0.1", port });
            sock.on("error", () => resolve());
            sock.on("close", () => resolve());
            sock.on("connect", () => {
              for (let j = 0; j < garbage.length; j++) garbage[j] = (i * 31 + j * 7) & 0xff;
              sock.write(garbage);
              sock.write("\r\n\u0000\u0001QUIT\r\n");
              setTimeout(() => sock.destroy(), 200 + (i % 10) * 50);
            });
          }),
      ),
    );
    expect(sockets.length).toBe(1000);
    await stillServes("after the garbage");
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe("per-address connection limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startSmtpTestServer({ AGENTBOX_SMTP_MAX_CONNECTIONS_PER_IP: "5" });
  });
  afterAll(() => s.stop());

  test("beyond the limit a connection gets 421 at once; a slot frees when one closes", async () => {
    const open = await Promise.all(Array.from({ length: 5 }, () => SmtpWire.open(s.server.ports.mx)));
    for (const w of open) expect((await w.read()).code).toBe(220);
    const extra = await SmtpWire.open(s.server.ports.mx);
    const refused = await extra.read();
    expect(refused.code).toBe(421);
    expect(refused.text).toMatch(/^4\.7\.0 too many connections from 127\.0\.0\.1/);
    await extra.waitClosed();
    open[0]?.close();
    await Bun.sleep(100);
    const next = await SmtpWire.open(s.server.ports.mx);
    expect((await next.read()).code).toBe(220);
    next.close();
    for (const w of open) w.close();
  });
});
