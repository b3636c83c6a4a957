import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { startRspamd, type TestRspamd } from "../support/rspamd.ts";
import { api, type TestServer } from "../support/server.ts";
import { folder, type Mailbox, mailbox, rfc822, startSmtpTestServer } from "./support/smtp.ts";
import { SmtpWire } from "./support/wire.ts";

/**
 * Spam detection as a policy asks, over real SMTP sessions: DNS block lists through
 * AGENTBOX_DNS_SERVER (a real DNS server on loopback), agentbox's header checks scaled by
 * spam_sensitivity, and a real rspamd through its HTTP API when AGENTBOX_RSPAMD_URL is set. The
 * verdict is on the message (`spam`), and spam goes to Junk.
 */

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startTestDnsServer();
  // 127.0.0.2 is listed (as the Spamhaus test entry is); 127.0.0.1 is not.
  dns.set("2.0.0.127.dnsbl.test", "A", ["127.0.0.2"]);
});
afterAll(() => dns.close());

/** A clean message: every field a spam filter looks for. */
const clean = (subject: string) =>
  rfc822({
    From: "Friend <friend@sender.example>",
    To: "you@agents.localhost",
    Subject: subject,
    Date: new Date().toUTCString(),
    "Message-ID": `<${crypto.randomUUID()}@sender.example>`,
  });

/** No Date, no Message-ID, no To: 1 + 2.5 + 2 = 5.5 on rspamd's scale. */
const sloppy = (subject: string) => rfc822({ From: "friend@sender.example", Subject: subject });

async function deliver(t: TestServer, to: string, data: string, localAddress = "127.0.0.1") {
  const wire = await SmtpWire.open(t.server.ports.mx, { localAddress });
  try {
    await wire.read();
    await wire.command("EHLO mta.sender.example");
    await wire.command("MAIL FROM:<friend@sender.example>");
    expect((await wire.command(`RCPT TO:<${to}>`)).code).toBe(250);
    await wire.command("DATA");
    const done = await wire.command(`${data}\r\n.`);
    expect(done.code).toBe(250);
  } finally {
    wire.close();
  }
}

async function withSpamPolicy(
  t: TestServer,
  spam: Record<string, unknown>,
  rules: string[] = [],
): Promise<Mailbox> {
  const policy = await api(t, "POST", "/v3/policies", { name: "spam", spam_detection: spam, rules });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  return mailbox(t, "spam", { policy_id: policy.body.data.id });
}

describe("agentbox's own checks", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startSmtpTestServer({ AGENTBOX_DNS_SERVER: dns.address, AGENTBOX_DNSBL_ZONES: "dnsbl.test" });
  });
  afterAll(() => t.stop());

  test("DNSBL: a listed client's message goes to Junk with its verdict; an unlisted one to INBOX", async () => {
    const r = await withSpamPolicy(t, { use_list_dnsbl: true });
    await deliver(t, r.email, clean("from a listed host"), "127.0.0.2");
    await deliver(t, r.email, clean("from a clean host"), "127.0.0.1");
    const [junk] = await folder(t, r.id, "junk");
    expect(junk?.subject).toBe("from a listed host");
    expect(junk?.spam).toMatchObject({ is_spam: true, threshold: 6, sensitivity: 1 });
    expect(junk?.spam.signals).toEqual([{ name: "RBL_LISTED", score: 6, detail: "dnsbl.test: 127.0.0.2" }]);
    const [inbox] = await folder(t, r.id, "inbox");
    expect(inbox?.subject).toBe("from a clean host");
    expect(inbox?.spam).toMatchObject({ is_spam: false, score: 0, signals: [] });
  });

  test("header anomalies, scaled by spam_sensitivity: the same message is spam only to the more sensitive policy", async () => {
    const relaxed = await withSpamPolicy(t, { use_header_anomaly_detection: true, spam_sensitivity: 1 });
    const sensitive = await withSpamPolicy(t, { use_header_anomaly_detection: true, spam_sensitivity: 1.5 });
    await deliver(t, relaxed.email, sloppy("sloppy one"));
    await deliver(t, sensitive.email, sloppy("sloppy two"));
    const [kept] = await folder(t, relaxed.id, "inbox");
    expect(kept?.spam).toMatchObject({ is_spam: false, score: 5.5, threshold: 6 });
    expect(kept?.spam.signals.map((s: { name: string }) => s.name).sort()).toEqual([
      "MISSING_DATE",
      "MISSING_MID",
      "MISSING_TO",
    ]);
    const [junked] = await folder(t, sensitive.id, "junk");
    expect(junked?.spam).toMatchObject({ is_spam: true, score: 5.5, threshold: 4 });
  });

  test("without spam detection in its policy, a message is not scored", async () => {
    const r = await mailbox(t, "plain");
    await deliver(t, r.email, sloppy("unscored"), "127.0.0.2");
    const [m] = await folder(t, r.id, "inbox");
    expect(m).not.toHaveProperty("spam");
  });

  test("a rule's destination wins over the spam folder (an allow rule)", async () => {
    const allow = await api(t, "POST", "/v3/rules", {
      name: "allow sender.example",
      match: { conditions: [{ field: "from.domain", operator: "is", value: "sender.example" }] },
      actions: [{ type: "assign_to_folder", value: "Inbox" }],
    });
    const r = await withSpamPolicy(t, { use_list_dnsbl: true }, [allow.body.data.id]);
    await deliver(t, r.email, clean("listed but allowed"), "127.0.0.2");
    const [m] = await folder(t, r.id, "inbox");
    expect(m?.subject).toBe("listed but allowed");
    expect(m?.spam.is_spam).toBe(true);
  });
});

describe("rspamd", () => {
  let rspamd: TestRspamd;
  let t: TestServer;
  beforeAll(async () => {
    rspamd = await startRspamd(dns.address);
    t = await startSmtpTestServer({ AGENTBOX_DNS_SERVER: dns.address, AGENTBOX_RSPAMD_URL: rspamd.url });
  }, 90_000);
  afterAll(async () => {
    await t?.stop();
    await rspamd?.stop();
  });

  test("when configured, rspamd's symbols and scores make the verdict", async () => {
    const r = await withSpamPolicy(t, { use_header_anomaly_detection: true });
    await deliver(t, r.email, sloppy("judged by rspamd"));
    const all = [...(await folder(t, r.id, "inbox")), ...(await folder(t, r.id, "junk"))];
    const m = all.find((x) => x.subject === "judged by rspamd");
    const names = m?.spam.signals.map((s: { name: string; detail: string }) => `${s.name}/${s.detail}`);
    expect(names).toContain("MISSING_MID/rspamd");
    expect(names).toContain("MISSING_DATE/rspamd");
    expect(m?.spam.score).toBeGreaterThan(0);
    expect(m?.folders).toEqual([m?.spam.is_spam ? "junk" : "inbox"]);
  });
});
