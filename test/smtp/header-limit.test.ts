import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import type { TestServer } from "../support/server.ts";
import {
  folder,
  type Mailbox,
  mailbox,
  mxTransport,
  startSmtpTestServer,
  submitTransport,
} from "./support/smtp.ts";

/**
 * Header bombs (issue 12, defect 1): a header over AGENTBOX_SMTP_MAX_HEADER_BYTES is refused with
 * 552 5.3.4, and the authentication checks of a header just under it (mailauth's parser is
 * quadratic in folded lines) run off the event loop: /healthz keeps answering meanwhile.
 */

let dns: TestDnsServer;
let t: TestServer;
let r: Mailbox;

beforeAll(async () => {
  dns = await startTestDnsServer();
  dns.set("bomb.example", "TXT", ["v=spf1 ip4:127.0.0.1 -all"]);
  // Lines allowed up to 30,000 here, so a header under the byte limit can be heavy for mailauth.
  t = await startSmtpTestServer({
    AGENTBOX_DNS_SERVER: dns.address,
    AGENTBOX_SMTP_MAX_HEADER_LINES: "30000",
  });
  r = await mailbox(t, "target");
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

/** A header of `lines` folded one-character continuation lines (4 bytes each). */
const folded = (from: string, to: string, subject: string, lines: number) =>
  `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}${"\r\n x".repeat(lines)}\r\n\r\nbody\r\n`;

async function deliver(to: string, raw: string) {
  const transport = mxTransport(t, "mta.bomb.example");
  try {
    return await transport.sendMail({ envelope: { from: "a@bomb.example", to: [to] }, raw });
  } finally {
    transport.close();
  }
}

/**
 * Runs `work` while asking GET /healthz every 10 ms; the longest any round took beyond its pause,
 * in ms. The server runs in this process, so a stalled event loop shows here whether it stalls
 * the request or the pause after it.
 */
async function slowestHealthz(work: Promise<unknown>): Promise<number> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    const res = await fetch(`${t.url}/healthz`);
    await res.text();
    await Bun.sleep(10);
    slowest = Math.max(slowest, performance.now() - started - 10);
  }
  await finished;
  return slowest;
}

describe("the header limit", () => {
  test("the MX refuses 100,000 folded header lines with 552 5.3.4; nothing is stored", async () => {
    const err = await deliver(r.email, folded("a@bomb.example", r.email, "bomb", 100_000)).catch((e) => e);
    expect(err.responseCode).toBe(552);
    expect(err.response).toMatch(
      /^552 5\.3\.4 message header exceeds the limits of 102400 bytes and 30000 lines/,
    );
    expect((await folder(t, r.id, "inbox")).some((m) => m.subject?.startsWith("bomb"))).toBe(false);
  });

  test("submission refuses it too", async () => {
    const a = await mailbox(t, "bomber");
    const transport = submitTransport(t, "smtps", a);
    const err = await transport
      .sendMail({ envelope: { from: a.email, to: [r.email] }, raw: folded(a.email, r.email, "sub", 30_000) })
      .catch((e) => e);
    transport.close();
    expect(err.responseCode).toBe(552);
    expect(err.response).toMatch(/^552 5\.3\.4 message header exceeds/);
  });

  test("by default a header of more than 5,000 lines is refused, however short they are", async () => {
    const strict = await startSmtpTestServer();
    try {
      const s = await mailbox(strict, "lines");
      const transport = mxTransport(strict, "mta.bomb.example");
      const send = (lines: number) =>
        transport.sendMail({
          envelope: { from: "a@bomb.example", to: [s.email] },
          raw: folded("a@bomb.example", s.email, `lines ${lines}`, lines),
        });
      const err = await send(5_000).catch((e) => e);
      expect(err.responseCode).toBe(552);
      expect(err.response).toMatch(
        /^552 5\.3\.4 message header exceeds the limits of 102400 bytes and 5000 lines/,
      );
      expect((await send(4_990)).response).toMatch(/^250 /);
      transport.close();
    } finally {
      await strict.stop();
    }
  });

  test("a header just under the limit is stored, and its checks do not hold the event loop", async () => {
    // 25,000 folded lines: ~100 KB, about a second of mailauth's header parsing.
    const raw = folded("a@bomb.example", r.email, "heavy", 25_000);
    expect(raw.indexOf("\r\n\r\n")).toBeLessThan(102_400);
    const slowest = await slowestHealthz(deliver(r.email, raw));
    expect(slowest).toBeLessThan(300);
    const stored = (await folder(t, r.id, "inbox")).find((m) => m.subject?.startsWith("heavy"));
    expect(stored).toBeDefined();
  });
});
