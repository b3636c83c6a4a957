import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createPublicKey, sign, verify } from "node:crypto";
import { dkimSign, dkimVerify } from "mailauth";
import { createResolver, type DnsResolver, mailauthResolver } from "../../src/dns/resolver.ts";
import { type DkimKeyPair, generateDkimKeyPair } from "../../src/domains/dkim.ts";
import { type DomainDnsContext, expectedRecord, type VerificationType } from "../../src/domains/records.ts";
import { verifyRecord } from "../../src/domains/verify.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";

const DOMAIN = "example.test";
const MAIL_HOST = "mail.agentbox.test";
const DKIM_HOST = `agentbox._domainkey.${DOMAIN}`;

let dns: TestDnsServer;
let resolver: DnsResolver;
let dkim: DkimKeyPair;
let otherDkim: DkimKeyPair;
let ctx: DomainDnsContext;

beforeAll(async () => {
  dns = await startTestDnsServer();
  resolver = createResolver(dns.address);
  [dkim, otherDkim] = await Promise.all([generateDkimKeyPair(), generateDkimKeyPair()]);
  ctx = {
    domainAddress: DOMAIN,
    ownershipToken: "tok-3f9a",
    dkimSelector: dkim.selector,
    dkimPublicKeyBase64: dkim.publicKeyBase64,
    mailHostname: MAIL_HOST,
  };
});
afterAll(() => dns.close());
beforeEach(() => dns.clear());

const mxTo = (exchange: string) => [{ exchange, priority: 10 }];

/** Per check: how to publish the right record and a wrong one, and what the success message says. */
const CASES: Record<
  VerificationType,
  { host: () => string; right: () => void; wrong: () => void; wrongFound: () => string[]; success: RegExp }
> = {
  ownership: {
    host: () => DOMAIN,
    right: () => dns.set(DOMAIN, "TXT", ["google-site-verification=x", "agentbox-ownership-verify=tok-3f9a"]),
    wrong: () => dns.set(DOMAIN, "TXT", ["agentbox-ownership-verify=tok-0000"]),
    wrongFound: () => ["agentbox-ownership-verify=tok-0000"],
    success: /^Ownership TXT record found at example\.test\.$/,
  },
  mx: {
    host: () => DOMAIN,
    right: () => dns.set(DOMAIN, "MX", mxTo(MAIL_HOST)),
    wrong: () => dns.set(DOMAIN, "MX", mxTo("mx.elsewhere.test")),
    wrongFound: () => ["10 mx.elsewhere.test"],
    success: /^MX record found: example\.test → mail\.agentbox\.test \(priority 10\)\.$/,
  },
  spf: {
    host: () => DOMAIN,
    right: () => dns.set(DOMAIN, "TXT", ["v=spf1 a:mail.agentbox.test ~all"]),
    wrong: () => dns.set(DOMAIN, "TXT", ["v=spf1 include:_spf.elsewhere.test -all"]),
    wrongFound: () => ["v=spf1 include:_spf.elsewhere.test -all"],
    success: /^SPF record found at example\.test: "v=spf1 a:mail\.agentbox\.test ~all"\.$/,
  },
  dkim: {
    host: () => DKIM_HOST,
    right: () => dns.set(DKIM_HOST, "TXT", [expectedRecord("dkim", ctx).value]),
    wrong: () => dns.set(DKIM_HOST, "TXT", [`v=DKIM1; k=rsa; p=${otherDkim.publicKeyBase64}`]),
    wrongFound: () => [`v=DKIM1; k=rsa; p=${otherDkim.publicKeyBase64}`],
    success: /^DKIM key record found at agentbox\._domainkey\.example\.test\.$/,
  },
  feedback: {
    host: () => `bounces.${DOMAIN}`,
    right: () => dns.set(`bounces.${DOMAIN}`, "MX", mxTo(MAIL_HOST)),
    wrong: () => dns.set(`bounces.${DOMAIN}`, "MX", mxTo("mx.elsewhere.test")),
    wrongFound: () => ["10 mx.elsewhere.test"],
    success: /^MX record found: bounces\.example\.test → mail\.agentbox\.test \(priority 10\)\.$/,
  },
};

for (const [kind, c] of Object.entries(CASES) as [VerificationType, (typeof CASES)[VerificationType]][]) {
  describe(`verifyRecord("${kind}")`, () => {
    test("passes when the record is published", async () => {
      c.right();
      const outcome = await verifyRecord(kind, ctx, resolver);
      expect(outcome.ok).toBe(true);
      expect(outcome.message).toMatch(c.success);
      expect(outcome.found.length).toBeGreaterThan(0);
    });

    test("fails when nothing is published, saying what to add where", async () => {
      const expected = expectedRecord(kind, ctx);
      const outcome = await verifyRecord(kind, ctx, resolver);
      expect(outcome).toMatchObject({ ok: false, found: [] });
      expect(outcome.message).toStartWith(`No ${expected.type} record found at ${c.host()}. Add `);
      expect(outcome.message).toContain(expected.type === "MX" ? `pointing to ${MAIL_HOST}` : expected.value);
    });

    test("fails on a wrong value, saying what was found instead", async () => {
      c.wrong();
      const outcome = await verifyRecord(kind, ctx, resolver);
      expect(outcome.ok).toBe(false);
      expect(outcome.found).toEqual(c.wrongFound());
      expect(outcome.message).toStartWith(
        `Expected a${kind === "mx" || kind === "feedback" ? "n MX" : " TXT"} record at ${c.host()}`,
      );
      expect(outcome.message).toContain(`but found: "${c.wrongFound()[0]?.slice(0, 40)}`);
    });
  });
}

describe("DKIM record matching", () => {
  test("the generated record is long enough to arrive as several TXT strings", async () => {
    CASES.dkim.right();
    const [record] = (await mailauthResolver(dns.address)(DKIM_HOST, "TXT")) as string[][];
    expect(record?.length).toBeGreaterThan(1);
  });

  test("matches a key split anywhere, with whitespace folded in", async () => {
    const key = dkim.publicKeyBase64;
    dns.set(DKIM_HOST, "TXT", [
      [`v=DKIM1; k=rsa; p=${key.slice(0, 100)}`, ` ${key.slice(100, 300)}`, key.slice(300)],
    ]);
    expect((await verifyRecord("dkim", ctx, resolver)).ok).toBe(true);
  });

  test("a message signed with the private key passes mailauth's DKIM check against the record", async () => {
    CASES.dkim.right();
    const message = `From: a@${DOMAIN}\r\nTo: b@elsewhere.test\r\nSubject: hi\r\n\r\nHello.\r\n`;
    const key = { signingDomain: DOMAIN, selector: dkim.selector, privateKey: dkim.privateKeyPem };
    // mailauth signs what is in signatureData; its types also demand the fields at the top level.
    const { signatures, errors } = await dkimSign(message, { ...key, signatureData: [key] });
    expect(errors).toEqual([]);
    const { results } = await dkimVerify(signatures + message, { resolver: mailauthResolver(resolver) });
    expect(results.map((result) => result.status.result)).toEqual(["pass"]);
  });
});

describe("SPF record matching", () => {
  test("a bare mx mechanism counts", async () => {
    dns.set(DOMAIN, "TXT", ["v=spf1 mx -all"]);
    expect((await verifyRecord("spf", ctx, resolver)).ok).toBe(true);
  });

  test("naming the mail host in a failing mechanism does not count", async () => {
    dns.set(DOMAIN, "TXT", ["v=spf1 -a:mail.agentbox.test ~all"]);
    expect((await verifyRecord("spf", ctx, resolver)).ok).toBe(false);
  });

  test("two SPF records fail, even if one is right", async () => {
    dns.set(DOMAIN, "TXT", ["v=spf1 a:mail.agentbox.test ~all", "v=spf1 -all"]);
    const outcome = await verifyRecord("spf", ctx, resolver);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toStartWith("Found 2 SPF records at example.test");
  });
});

test("an unreachable DNS server is a failed check naming the server, not an exception", async () => {
  const address = "127.0.0.1:9"; // discard port, nothing listens on loopback
  const outcome = await verifyRecord("mx", ctx, createResolver(address, { timeoutMs: 300, attempts: 1 }));
  expect(outcome).toMatchObject({ ok: false, found: [] });
  expect(outcome.message).toStartWith("Could not look up the MX records at example.test: ");
  expect(outcome.message).toContain(address);
});

describe("generateDkimKeyPair", () => {
  test("defaults to the agentbox selector and takes another", async () => {
    expect(dkim.selector).toBe("agentbox");
    expect((await generateDkimKeyPair("s2026")).selector).toBe("s2026");
  });

  test("makes an RSA-2048 pair whose public half verifies the private half's signatures", () => {
    const publicKey = createPublicKey({
      key: Buffer.from(dkim.publicKeyBase64, "base64"),
      format: "der",
      type: "spki",
    });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const data = Buffer.from("agentbox dkim");
    const signature = sign("sha256", data, dkim.privateKeyPem);
    expect(verify("sha256", data, publicKey, signature)).toBe(true);
    expect(verify("sha256", Buffer.from("tampered"), publicKey, signature)).toBe(false);
    const otherPublic = createPublicKey({
      key: Buffer.from(otherDkim.publicKeyBase64, "base64"),
      format: "der",
      type: "spki",
    });
    expect(verify("sha256", data, otherPublic, signature)).toBe(false);
  });
});
