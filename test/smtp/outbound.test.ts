import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { authenticate } from "mailauth";
import { mailauthResolver } from "../../src/dns/resolver.ts";
import { blobs, domains, events, outboundQueue } from "../../src/store/schema.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, type TestServer } from "../support/server.ts";
import { type CaptureServer, startCaptureServer } from "./support/capture-server.ts";
import {
  eventually,
  folder,
  type Mailbox,
  mailbox,
  rawMessage,
  startSmtpTestServer,
} from "./support/smtp.ts";

/**
 * Outbound delivery: OutboundDelivery drains the queue to a capture SMTP server standing in
 * for remote MX hosts (found through the test DNS server) or for a relay.
 */

let dns: TestDnsServer;
let mx: CaptureServer;
let slow: CaptureServer;
let t: TestServer;

beforeAll(async () => {
  dns = await startTestDnsServer();
  mx = await startCaptureServer();
  // A second "remote" on another loopback address and the same port: a slow destination.
  slow = await startCaptureServer({ host: "127.0.0.2", port: mx.port });
  slow.dataDelayMs = 700;
  dns.set("remote.example", "MX", [{ exchange: "mx.remote.example", priority: 10 }]);
  dns.set("mx.remote.example", "A", ["127.0.0.1"]);
  dns.set("backup.example", "MX", [
    { exchange: "dead.backup.example", priority: 5 },
    { exchange: "mx.remote.example", priority: 20 },
  ]);
  dns.set("dead.backup.example", "A", ["127.0.0.3"]);
  dns.set("a-only.example", "A", ["127.0.0.1"]);
  dns.set("nullmx.example", "MX", [{ exchange: "", priority: 0 }]);
  dns.set("unreachable.example", "A", ["127.0.0.3"]);
  dns.set("slow.example", "A", ["127.0.0.2"]);
  dns.set("fast.example", "A", ["127.0.0.1"]);
  t = await startSmtpTestServer({
    AGENTBOX_DNS_SERVER: dns.address,
    AGENTBOX_SMTP_QUEUE_HOLD: "0",
    AGENTBOX_SMTP_OUTBOUND_PORT: String(mx.port),
    AGENTBOX_SMTP_RETRY_BASE_MS: "300",
    AGENTBOX_SMTP_QUEUE_POLL_MS: "50",
    AGENTBOX_SMTP_QUEUE_LIFETIME_S: "3",
    AGENTBOX_SMTP_DOMAIN_CONCURRENCY: "2",
  });
  // Publish the trial domain's DKIM key where a receiver looks for it.
  const trial = await t.server.store.read.query.domains.findFirst({
    where: eq(domains.domainAddress, "agents.localhost"),
  });
  dns.set(`${trial?.dkimSelector}._domainkey.agents.localhost`, "TXT", [
    `v=DKIM1; k=rsa; p=${trial?.dkimPublicKey}`,
  ]);
});
afterAll(async () => {
  await t.stop();
  await mx.close();
  await slow.close();
  await dns.close();
});

async function send(from: Mailbox, to: string[], subject: string) {
  const res = await api(t, "POST", `/v3/grants/${from.id}/messages/send`, {
    to: to.map((email) => ({ email })),
    subject,
    body: `<p>${subject}</p>`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Record<string, any>;
}

const rows = (grantId: string) =>
  t.server.store.read.select().from(outboundQueue).where(eq(outboundQueue.grantId, grantId));

const eventsOf = async (grantId: string, type: string) =>
  (
    await t.server.store.read
      .select()
      .from(events)
      .where(and(eq(events.grantId, grantId), eq(events.type, type)))
  ).map((e) => JSON.parse(e.objectJson));

const captured = (cap: CaptureServer, subject: string) =>
  eventually(async () => cap.messages.find((m) => m.raw.toString("latin1").includes(`Subject: ${subject}`)));

describe("to a remote MX", () => {
  test("delivered over STARTTLS with a DKIM signature that verifies against the published key", async () => {
    const a = await mailbox(t, "out");
    const sent = await send(a, ["kim@remote.example"], "dkim check");
    const got = await captured(mx, "dkim check");
    expect(got.mailFrom).toBe(a.email);
    expect(got.rcptTo).toEqual(["kim@remote.example"]);
    expect(got.secure).toBe(true);
    expect(got.helo).toBe("mail.agentbox.test");
    expect(got.raw.toString("latin1")).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=agents\.localhost;/,
    );
    const [row] = await rows(a.id);
    const [blob] = await t.server.store.read
      .select()
      .from(blobs)
      .where(eq(blobs.hash, row?.blobHash ?? ""));
    expect(
      got.raw.subarray(got.raw.length - (blob?.data.length ?? 0)).equals(Buffer.from(blob?.data ?? [])),
    ).toBe(true);
    const verdict = await authenticate(got.raw, {
      ip: "192.0.2.1",
      helo: "mail.agentbox.test",
      sender: a.email,
      resolver: mailauthResolver(dns.address),
      mta: "receiver.example",
    });
    expect(verdict.dkim.results[0]?.status.result).toBe("pass");
    expect(verdict.dkim.results[0]?.signingDomain).toBe("agents.localhost");
    await eventually(async () => (await rows(a.id))[0]?.status === "delivered");
    const [delivered] = await eventsOf(a.id, "message.delivered");
    expect(delivered.message.id).toBe(sent.id);
    expect(delivered.delivered.recipients).toEqual(["kim@remote.example"]);
    expect(delivered.delivered.remote_mta).toBe("mx.remote.example");
  });

  test("a 451 is retried (backoff) and then delivered once", async () => {
    const a = await mailbox(t, "retry");
    mx.dataReplies.push({ code: 451, text: "4.3.0 try again later" });
    await send(a, ["lee@remote.example"], "retry me");
    const first = await eventually(async () => {
      const [r] = await rows(a.id);
      return r && r.attempts === 1 && r.status === "queued" ? r : null;
    });
    expect(first.lastError).toMatch(/451 4\.3\.0 try again later/);
    expect(first.nextAttemptAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    await captured(mx, "retry me");
    const done = await eventually(async () => {
      const [r] = await rows(a.id);
      return r?.status === "delivered" ? r : null;
    });
    expect(done.attempts).toBe(2);
    expect(mx.messages.filter((m) => m.raw.includes("Subject: retry me")).length).toBe(1);
  });

  test("a 550 bounces: a DSN (multipart/report) in the sender's INBOX and a message.bounced event", async () => {
    const a = await mailbox(t, "bounce");
    mx.rcptReplies.set("nobody@remote.example", [{ code: 550, text: "5.1.1 no such user here" }]);
    const sent = await send(a, ["nobody@remote.example", "ok@remote.example"], "partly bounced");
    await captured(mx, "partly bounced");
    const dsn = await eventually(async () => (await folder(t, a.id, "inbox"))[0]);
    expect(dsn.subject).toBe("Undelivered Mail Returned to Sender");
    const raw = (await rawMessage(t, a.id, dsn.id)).toString("utf8");
    expect(raw).toMatch(/Content-Type: multipart\/report; report-type=delivery-status; boundary=/);
    expect(raw).toContain("Content-Type: message/delivery-status");
    expect(raw).toContain("Reporting-MTA: dns; mail.agentbox.test");
    expect(raw).toContain("Final-Recipient: rfc822; nobody@remote.example");
    expect(raw).toContain("Action: failed");
    expect(raw).toContain("Status: 5.1.1");
    expect(raw).toContain("Remote-MTA: dns; mx.remote.example");
    expect(raw).toContain("Diagnostic-Code: smtp; 550 5.1.1 no such user here");
    expect(raw).toContain("Content-Type: text/rfc822-headers");
    expect(raw).toContain("Subject: partly bounced");
    const byRcpt = Object.fromEntries((await rows(a.id)).map((r) => [r.rcptTo, r.status]));
    expect(byRcpt).toEqual({ "nobody@remote.example": "failed", "ok@remote.example": "delivered" });
    const [bounced] = await eventually(async () => {
      const list = await eventsOf(a.id, "message.bounced");
      return list.length ? list : null;
    });
    expect(bounced.message.id).toBe(sent.id);
    expect(bounced.bounce.type).toBe("NoSuchRecipient");
    expect(bounced.bounce.recipients).toEqual([
      {
        email: "nobody@remote.example",
        status: "5.1.1",
        diagnostic_code: "smtp; 550 5.1.1 no such user here",
      },
    ]);
    // Nylas's shape: the sender one address, the recipients addresses (not participant objects).
    expect(bounced.message.from).toBe(a.email);
    expect(bounced.message.to).toEqual(["nobody@remote.example", "ok@remote.example"]);
  });

  test("MX hosts are tried by preference: an unreachable first host falls through to the next", async () => {
    const a = await mailbox(t, "pref");
    await send(a, ["x@backup.example"], "via backup");
    const got = await captured(mx, "via backup");
    expect(got.rcptTo).toEqual(["x@backup.example"]);
  });

  test("a domain without MX records is its own mail host (A record)", async () => {
    const a = await mailbox(t, "aonly");
    await send(a, ["x@a-only.example"], "to the A record");
    await captured(mx, "to the A record");
  });

  test("a null MX and a domain that does not exist bounce at once (5.1.10, 5.1.2)", async () => {
    const a = await mailbox(t, "nodomain");
    await send(a, ["x@nullmx.example", "y@no-such-domain.example"], "nowhere");
    const statuses = await eventually(async () => {
      const list = await rows(a.id);
      return list.every((r) => r.status === "failed") ? list : null;
    });
    expect(statuses.map((r) => r.lastError?.split(" ")[0]).sort()).toEqual(["5.1.10", "5.1.2"]);
    const dsns = await eventually(async () => {
      const inbox = await folder(t, a.id, "inbox");
      return inbox.length === 2 ? inbox : null;
    });
    expect(dsns.every((m) => m.subject === "Undelivered Mail Returned to Sender")).toBe(true);
  });

  test("an unreachable host is retried until the queue lifetime runs out, then bounced (4.4.7)", async () => {
    const a = await mailbox(t, "expire");
    await send(a, ["x@unreachable.example"], "never arrives");
    const row = await eventually(async () => {
      const [r] = await rows(a.id);
      return r?.status === "failed" ? r : null;
    }, 15_000);
    expect(row.attempts).toBeGreaterThan(1);
    expect(row.lastError).toMatch(/^4\.4\.7 x-agentbox; delivery time expired after \d+ attempts/);
    const [dsn] = await eventually(async () => {
      const inbox = await folder(t, a.id, "inbox");
      return inbox.length ? inbox : null;
    });
    expect((await rawMessage(t, a.id, dsn?.id)).toString()).toContain("Status: 4.4.7");
  });

  test("per-destination limits: a slow domain holds only its own lane", async () => {
    const a = await mailbox(t, "lanes");
    const before = slow.messages.length;
    for (let i = 0; i < 6; i++) await send(a, [`s${i}@slow.example`], `slow ${i}`);
    const start = Date.now();
    await send(a, ["quick@fast.example"], "fast one");
    const fast = await captured(mx, "fast one");
    expect(fast.at - start).toBeLessThan(700);
    expect(slow.messages.length - before).toBeLessThan(6);
    await eventually(async () => slow.messages.length - before === 6, 15_000);
    expect(slow.peakConcurrent).toBeLessThanOrEqual(2);
  });
});

describe("through a relay", () => {
  let relay: CaptureServer;
  let s: TestServer;
  beforeAll(async () => {
    relay = await startCaptureServer();
    s = await startSmtpTestServer({
      AGENTBOX_SMTP_QUEUE_HOLD: "0",
      AGENTBOX_SMTP_RELAY: `smtp://127.0.0.1:${relay.port}`,
      AGENTBOX_SMTP_QUEUE_POLL_MS: "50",
    });
  });
  afterAll(async () => {
    await s.stop();
    await relay.close();
  });

  test("every remote recipient goes to the relay (no DNS), one transaction per message and domain", async () => {
    const a = await mailbox(s, "relayed");
    const res = await api(s, "POST", `/v3/grants/${a.id}/messages/send`, {
      to: [{ email: "one@far.example" }, { email: "two@far.example" }, { email: "three@other.example" }],
      subject: "relay me",
      body: "x",
    });
    expect(res.status).toBe(200);
    await relay.waitFor(2);
    const rcpts = relay.messages.map((m) => m.rcptTo.sort());
    expect(rcpts.sort()).toEqual([["one@far.example", "two@far.example"], ["three@other.example"]]);
    expect(relay.messages.every((m) => m.raw.toString().startsWith("DKIM-Signature: "))).toBe(true);
  });

  test("a relay with credentials must present a trusted certificate: the message waits, nothing is sent", async () => {
    const secureRelay = await startCaptureServer({ secure: true, auth: { user: "u", pass: "p" } });
    const r = await startSmtpTestServer({
      AGENTBOX_SMTP_QUEUE_HOLD: "0",
      AGENTBOX_SMTP_RELAY: `smtps://u:p@127.0.0.1:${secureRelay.port}`,
      AGENTBOX_SMTP_QUEUE_POLL_MS: "50",
    });
    try {
      const a = await mailbox(r, "strict-relay");
      await api(r, "POST", `/v3/grants/${a.id}/messages/send`, {
        to: [{ email: "z@far.example" }],
        body: "x",
      });
      const row = await eventually(async () => {
        const [x] = await r.server.store.read
          .select()
          .from(outboundQueue)
          .where(eq(outboundQueue.grantId, a.id));
        return x?.attempts ? x : null;
      });
      expect(row.status).toBe("queued");
      expect(row.lastError).toMatch(/certificate/i);
      expect(secureRelay.messages.length).toBe(0);
    } finally {
      await r.stop();
      await secureRelay.close();
    }
  });
});
