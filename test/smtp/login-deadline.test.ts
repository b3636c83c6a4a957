import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestServer } from "../support/server.ts";
import { type Mailbox, mailbox, startSmtpTestServer } from "./support/smtp.ts";
import { plainAuth, SmtpWire } from "./support/wire.ts";

/**
 * Slowloris before login (issue 12, defect 8, SMTP): AGENTBOX_SMTP_LOGIN_TIMEOUT_S is absolute.
 * A client trickling bytes (each one re-arms the idle timeout) is closed with 421 4.4.2 when it
 * has not logged in (submission) or reached DATA (the MX) in time.
 */

let t: TestServer;
let a: Mailbox;
beforeAll(async () => {
  t = await startSmtpTestServer({ AGENTBOX_SMTP_LOGIN_TIMEOUT_S: "2", AGENTBOX_SMTP_TIMEOUT_S: "300" });
  a = await mailbox(t, "slow");
});
afterAll(() => t.stop());

/** Sends one byte of a command every `everyMs` until the server closes; the time that took. */
async function trickle(wire: SmtpWire, everyMs: number): Promise<number> {
  const started = Date.now();
  const line = "NOOP\r\n";
  for (let i = 0; !wire.closed && Date.now() - started < 8000; i++) {
    wire.write(line[i % line.length] as string);
    await Bun.sleep(everyMs);
  }
  return Date.now() - started;
}

describe("the pre-login deadline", () => {
  test("submission: a client trickling a byte every 100 ms is closed with 421 4.4.2 at the deadline", async () => {
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    expect((await wire.read()).code).toBe(220);
    const took = await trickle(wire, 100);
    expect(wire.closed).toBe(true);
    expect(took).toBeGreaterThan(1500);
    expect(took).toBeLessThan(4000);
    expect(wire.unread()).toContain("421 4.4.2 did not log in within 2 s");
  });

  test("the MX: a client that never reaches DATA is closed the same way", async () => {
    const wire = await SmtpWire.open(t.server.ports.mx);
    expect((await wire.read()).code).toBe(220);
    expect((await wire.command("EHLO slow.example")).code).toBe(250);
    const took = await trickle(wire, 100);
    expect(wire.closed).toBe(true);
    expect(took).toBeLessThan(4000);
    expect(wire.unread()).toContain("421 4.4.2 did not start a message within 2 s");
  });

  test("a session that logged in in time is not cut at the deadline", async () => {
    const wire = await SmtpWire.open(t.server.ports.smtps, { tls: { ca: t.server.tls.cert } });
    await wire.read();
    await wire.command("EHLO client.example");
    expect((await wire.command(`AUTH PLAIN ${plainAuth(a.email, a.password)}`)).code).toBe(235);
    await Bun.sleep(2500);
    expect((await wire.command("NOOP")).code).toBe(250);
    wire.close();
  });

  test("the MX: a message delivered in time restarts the clock for the next one", async () => {
    const r = await mailbox(t, "rcpt");
    const wire = await SmtpWire.open(t.server.ports.mx);
    await wire.read();
    await wire.command("EHLO mta.example");
    const deliver = async (subject: string) => {
      expect((await wire.command("MAIL FROM:<x@mta.example>")).code).toBe(250);
      expect((await wire.command(`RCPT TO:<${r.email}>`)).code).toBe(250);
      expect((await wire.command("DATA")).code).toBe(354);
      expect((await wire.command(`Subject: ${subject}\r\n\r\nx\r\n.`)).code).toBe(250);
    };
    await Bun.sleep(1200);
    await deliver("one");
    await Bun.sleep(1200); // past the first deadline, within the one the message restarted
    await deliver("two");
    expect(wire.closed).toBe(false);
    await wire.waitClosed(4000);
    expect(wire.unread()).toContain("421 4.4.2");
  });
});
