import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { dkimSign } from "mailauth";
import { generateDkimKeyPair } from "../../src/domains/dkim.ts";
import { grants, messages } from "../../src/store/schema.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, type TestServer } from "../support/server.ts";
import {
  folder,
  type Mailbox,
  mailbox,
  mxTransport,
  rawMessage,
  rfc822,
  startSmtpTestServer,
} from "./support/smtp.ts";
import { SmtpWire } from "./support/wire.ts";

/**
 * The inbound MX: recipients, quotas, sizes, one copy per account, and SPF/DKIM/DMARC verdicts
 * against a real DNS server on loopback (AGENTBOX_DNS_SERVER).
 */

let dns: TestDnsServer;
let t: TestServer;
let key: Awaited<ReturnType<typeof generateDkimKeyPair>>;

beforeAll(async () => {
  dns = await startTestDnsServer();
  key = await generateDkimKeyPair("s1");
  // good.example: everything published and passing for 127.0.0.1.
  dns.set("good.example", "TXT", ["v=spf1 ip4:127.0.0.1 -all"]);
  dns.set("s1._domainkey.good.example", "TXT", [`v=DKIM1; k=rsa; p=${key.publicKeyBase64}`]);
  dns.set("_dmarc.good.example", "TXT", ["v=DMARC1; p=reject"]);
  // strict.example: SPF does not allow 127.0.0.1, DMARC says reject.
  dns.set("strict.example", "TXT", ["v=spf1 ip4:192.0.2.1 -all"]);
  dns.set("_dmarc.strict.example", "TXT", ["v=DMARC1; p=reject"]);
  // relaxed.example: SPF fails, DMARC only monitors.
  dns.set("relaxed.example", "TXT", ["v=spf1 -all"]);
  dns.set("_dmarc.relaxed.example", "TXT", ["v=DMARC1; p=none"]);
  t = await startSmtpTestServer({ AGENTBOX_DNS_SERVER: dns.address, AGENTBOX_MAX_MESSAGE_BYTES: "200000" });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

async function signed(raw: string, domain = "good.example"): Promise<string> {
  const result = await dkimSign(raw, {
    signatureData: [{ signingDomain: domain, selector: "s1", privateKey: key.privateKeyPem }],
  } as any);
  return result.signatures + raw;
}

async function deliver(from: string, to: string[], raw: string) {
  const transport = mxTransport(t, "mta.sender.example");
  try {
    return await transport.sendMail({ envelope: { from, to }, raw });
  } finally {
    transport.close();
  }
}

describe("verdicts", () => {
  let r: Mailbox;
  beforeAll(async () => {
    r = await mailbox(t, "rcpt");
  });

  test("SPF, DKIM and DMARC pass: INBOX, Authentication-Results on top, `authentication` in the API", async () => {
    const raw = await signed(
      rfc822({
        From: "News <news@good.example>",
        To: r.email,
        Subject: "all good",
        "Message-ID": "<good-1@good.example>",
        Date: "Tue, 01 Sep 2026 10:00:00 +0000",
      }),
    );
    const info = await deliver("bounce@good.example", [r.email], raw);
    expect(info.response).toMatch(/^250 2\.6\.0 <good-1@good\.example> stored for 1 recipient/);
    // 250 means committed: readable at once, no waiting.
    const [m] = await folder(t, r.id, "inbox");
    expect(m?.subject).toBe("all good");
    expect(m?.authentication).toEqual({
      spf: { result: "pass", domain: "good.example" },
      dkim: [{ result: "pass", domain: "good.example", selector: "s1", aligned: true }],
      dmarc: { result: "pass", domain: "good.example", policy: "reject" },
      arc: { result: "none" },
    });
    const stored = (await rawMessage(t, r.id, m?.id)).toString("latin1");
    const head = stored.slice(0, stored.indexOf(raw));
    expect(head).toMatch(/^Received-SPF: pass /);
    expect(head).toMatch(
      /\r\nAuthentication-Results: mail\.agentbox\.test;\r\n dkim=pass header\.i=@good\.example header\.s=s1/,
    );
    expect(head).toMatch(/spf=pass .*smtp\.mailfrom=bounce@good\.example/);
    expect(head).toMatch(/dmarc=pass .*header\.from=good\.example/);
    expect(head).toMatch(
      /\r\nReceived: from mta\.sender\.example \(\[127\.0\.0\.1\]\)\r\n\tby mail\.agentbox\.test \(agentbox\) with ESMTPS id /,
    );
    expect(stored.endsWith(raw)).toBe(true);
  });

  test("DMARC fails with p=reject: the message goes to Junk, with its verdicts", async () => {
    const raw = rfc822({ From: "ceo@strict.example", To: r.email, Subject: "wire money" });
    await deliver("ceo@strict.example", [r.email], raw);
    const [junk] = await folder(t, r.id, "junk");
    expect(junk?.subject).toBe("wire money");
    expect(junk?.authentication.spf.result).toBe("fail");
    expect(junk?.authentication.dmarc).toEqual({
      result: "fail",
      domain: "strict.example",
      policy: "reject",
    });
    expect((await folder(t, r.id, "inbox")).some((m) => m.subject === "wire money")).toBe(false);
  });

  test("DMARC fails with p=none: INBOX, verdicts say fail", async () => {
    await deliver(
      "x@relaxed.example",
      [r.email],
      rfc822({ From: "x@relaxed.example", To: r.email, Subject: "monitored" }),
    );
    const m = (await folder(t, r.id, "inbox")).find((x) => x.subject === "monitored");
    expect(m?.authentication.dmarc).toEqual({ result: "fail", domain: "relaxed.example", policy: "none" });
  });

  test("a DKIM signature over altered content fails; a domain with no records is none", async () => {
    const raw = (
      await signed(rfc822({ From: "a@good.example", To: r.email, Subject: "tampered" }, "original\r\n"))
    ).replace("original", "changed!");
    await deliver("a@nowhere.example", [r.email], raw);
    const m = (await folder(t, r.id, "junk")).find((x) => x.subject === "tampered");
    // mailauth: a body hash mismatch is "neutral (body hash did not verify)"; never a pass.
    expect(m?.authentication.dkim[0]).toMatchObject({ result: "neutral", domain: "good.example" });
    expect(m?.authentication.spf.result).toBe("none");
    expect(m?.authentication.dmarc.result).toBe("fail");
  });

  test("the null sender (a bounce) is accepted; SPF is checked for the HELO name", async () => {
    const raw = await signed(rfc822({ From: "MAILER-DAEMON@good.example", To: r.email, Subject: "bounce" }));
    await deliver("", [r.email], raw);
    const m = (await folder(t, r.id, "inbox")).find((x) => x.subject === "bounce");
    expect(m?.authentication.spf).toEqual({ result: "none", domain: "mta.sender.example" });
    expect(m?.authentication.dmarc.result).toBe("pass");
  });
});

describe("recipients and limits", () => {
  test("an address that is not a hosted account: 550 5.1.1 at RCPT", async () => {
    const err = await deliver("a@good.example", ["nobody@agents.localhost"], "Subject: x\r\n\r\nx").catch(
      (e) => e,
    );
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.1\.1 <nobody@agents\.localhost>: no such mailbox/);
  });

  test("one copy per account: the same account twice (any case) plus another", async () => {
    const a = await mailbox(t, "multi-a");
    const b = await mailbox(t, "multi-b");
    const raw = rfc822({ From: "a@good.example", To: `${a.email}, ${b.email}`, Subject: "multi" });
    const info = await deliver("a@good.example", [a.email, a.email.toUpperCase(), b.email], raw);
    expect(info.response).toMatch(/stored for 2 recipients/);
    expect((await folder(t, a.id, "inbox")).length).toBe(1);
    expect((await folder(t, b.id, "inbox")).length).toBe(1);
    const rows = await t.server.store.read.select().from(messages).where(eq(messages.grantId, a.id));
    const rowsB = await t.server.store.read.select().from(messages).where(eq(messages.grantId, b.id));
    expect(rows[0]?.blobHash).toBe(rowsB[0]?.blobHash as string);
  });

  test("an account over its storage quota: 452 4.2.2 at RCPT (declared SIZE) and after DATA", async () => {
    const full = await mailbox(t, "full");
    await t.server.store.writer.submit((tx) =>
      tx.update(grants).set({ storageQuotaBytes: 1000 }).where(eq(grants.id, full.id)).run(),
    );
    const wire = await SmtpWire.open(t.server.ports.mx);
    await wire.read();
    await wire.command("EHLO mta.sender.example");
    expect((await wire.command("MAIL FROM:<a@good.example> SIZE=5000")).code).toBe(250);
    const rcpt = await wire.command(`RCPT TO:<${full.email}>`);
    expect(rcpt.code).toBe(452);
    expect(rcpt.text).toMatch(/^4\.2\.2 .*over its storage quota/);
    wire.close();
    // Without SIZE the RCPT passes; the decision after DATA refuses, nothing is stored.
    const err = await deliver(
      "a@good.example",
      [full.email],
      `Subject: big\r\n\r\n${"x".repeat(3000)}\r\n`,
    ).catch((e) => e);
    expect(err.responseCode).toBe(452);
    expect(err.response).toMatch(/^452 4\.2\.2 /);
    expect(await folder(t, full.id, "inbox")).toEqual([]);
  });

  test("a message over the size limit: 552 5.3.4 (declared at MAIL, or at DATA)", async () => {
    const r = await mailbox(t, "sized");
    const wire = await SmtpWire.open(t.server.ports.mx);
    await wire.read();
    const ehlo = await wire.command("EHLO mta.sender.example");
    expect(ehlo.lines).toContain("SIZE 200000");
    expect(ehlo.lines).toContain("STARTTLS");
    expect(ehlo.lines.some((l) => l.startsWith("AUTH"))).toBe(false);
    const mail = await wire.command("MAIL FROM:<a@good.example> SIZE=300000");
    expect(mail.code).toBe(552);
    expect(mail.text).toMatch(/^5\.3\.4 /);
    wire.close();
    const err = await deliver(
      "a@good.example",
      [r.email],
      `Subject: huge\r\n\r\n${"y".repeat(250_000)}\r\n`,
    ).catch((e) => e);
    expect(err.responseCode).toBe(552);
    expect(err.response).toMatch(/^552 5\.3\.4 /);
  });

  test("mixed outcome: one account full, another fine: 250, and the sender gets a bounce for the full one", async () => {
    const ok = await mailbox(t, "mixed-ok");
    const full = await mailbox(t, "mixed-full");
    const sender = await mailbox(t, "mixed-sender");
    await t.server.store.writer.submit((tx) =>
      tx.update(grants).set({ storageQuotaBytes: 1000 }).where(eq(grants.id, full.id)).run(),
    );
    const raw = `From: ${sender.email}\r\nTo: ${ok.email}\r\nSubject: mixed\r\n\r\n${"z".repeat(3000)}\r\n`;
    const info = await deliver(sender.email, [ok.email, full.email], raw);
    expect(info.response).toMatch(/stored for 1 recipient$/);
    expect((await folder(t, ok.id, "inbox")).length).toBe(1);
    const [dsn] = await folder(t, sender.id, "inbox");
    expect(dsn?.subject).toBe("Undelivered Mail Returned to Sender");
    const body = (await rawMessage(t, sender.id, dsn?.id)).toString("utf8");
    expect(body).toContain("multipart/report; report-type=delivery-status");
    expect(body).toContain(`Final-Recipient: rfc822; ${full.email}`);
    expect(body).toContain("Status: 5.2.2");
  });

  test("STARTTLS on the MX is verified against the server's certificate", async () => {
    const r = await mailbox(t, "tls");
    const wire = await SmtpWire.open(t.server.ports.mx);
    await wire.read();
    await wire.command("EHLO mta.sender.example");
    expect((await wire.startTls(t.server.tls.cert)).code).toBe(220);
    expect((await wire.command("EHLO mta.sender.example")).code).toBe(250);
    expect((await wire.command("MAIL FROM:<a@good.example>")).code).toBe(250);
    expect((await wire.command(`RCPT TO:<${r.email}>`)).code).toBe(250);
    expect((await wire.command("DATA")).code).toBe(354);
    const done = await wire.command(`Subject: over tls\r\n\r\nhello\r\n.`);
    expect(done.code).toBe(250);
    wire.close();
    const [m] = await folder(t, r.id, "inbox");
    expect((await rawMessage(t, r.id, m?.id)).toString()).toContain("with ESMTPS id");
  });

  test("a message sent by API to a hosted account has no `authentication` field", async () => {
    const a = await mailbox(t, "api-a");
    const res = await api(t, "POST", `/v3/grants/${a.id}/messages/send`, {
      to: [{ email: a.email }],
      subject: "internal",
      body: "x",
    });
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty("authentication");
  });
});
