import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { loadSmtpConfig, parseRelay } from "../../src/config/smtp.ts";
import type { DnsResolver } from "../../src/dns/resolver.ts";
import { Guardrails } from "../../src/guardrails/governance.ts";
import { PendingEvaluations } from "../../src/guardrails/record.ts";
import { parseMessage } from "../../src/mail/parse-message.ts";
import { backoffMs } from "../../src/smtp/delivery/backoff.ts";
import { groupRows } from "../../src/smtp/delivery/group-rows.ts";
import { buildDsn, headerBlock } from "../../src/smtp/dsn.ts";
import { classify, type DeliveryFailure } from "../../src/smtp/outbound/failure.ts";
import { routeFor } from "../../src/smtp/outbound/route.ts";
import { decideMessage, decideRecipient, type InboundEnvelope } from "../../src/smtp/policy.ts";
import { bounceType } from "../../src/smtp/queue.ts";
import type { AuthVerdict } from "../../src/smtp/verify.ts";
import { grants, type OutboundRow } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore } from "../support/store.ts";

describe("configuration", () => {
  test("AGENTBOX_SMTP_RELAY: schemes, default ports, credentials; errors never echo a password", () => {
    expect(parseRelay("smtp://relay.example:2525")).toEqual({
      host: "relay.example",
      port: 2525,
      secure: false,
      auth: null,
    });
    expect(parseRelay("smtps://u%40x:p%3Ass@relay.example")).toEqual({
      host: "relay.example",
      port: 465,
      secure: true,
      auth: { user: "u@x", pass: "p:ss" },
    });
    expect(parseRelay("smtp://[::1]")?.host).toBe("::1");
    expect(parseRelay("smtp://h")?.port).toBe(587);
    expect(() => parseRelay("http://user:secret@relay.example")).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => parseRelay("http://user:secret@relay.example")).not.toThrow(/secret/);
    expect(() => parseRelay("not a url")).toThrow(/not a URL/);
  });

  test("defaults: port 25, 4 days, 5 minutes idle; bad numbers are refused by name", () => {
    const c = loadSmtpConfig({});
    expect(c.outboundPort).toBe(25);
    expect(c.queueLifetimeMs).toBe(4 * 86_400_000);
    expect(c.socketTimeoutMs).toBe(300_000);
    expect(c.hold).toBe(false);
    expect(() => loadSmtpConfig({ AGENTBOX_SMTP_OUTBOUND_PORT: "70000" })).toThrow(
      /AGENTBOX_SMTP_OUTBOUND_PORT/,
    );
    expect(() => loadSmtpConfig({ AGENTBOX_SMTP_QUEUE_HOLD: "maybe" })).toThrow(/AGENTBOX_SMTP_QUEUE_HOLD/);
  });
});

describe("retry schedule", () => {
  const smtp = { retryBaseMs: 60_000, retryMaxMs: 7_200_000 };
  test("doubles per attempt from the base, capped, with ±20% jitter", () => {
    expect(backoffMs(1, smtp, () => 0.5)).toBe(60_000);
    expect(backoffMs(2, smtp, () => 0.5)).toBe(120_000);
    expect(backoffMs(5, smtp, () => 0.5)).toBe(960_000);
    expect(backoffMs(30, smtp, () => 0.5)).toBe(7_200_000);
    expect(backoffMs(1, smtp, () => 0)).toBe(48_000);
    expect(backoffMs(1, smtp, () => 0.999999)).toBeLessThanOrEqual(72_000);
  });
});

describe("delivery failures", () => {
  test("4xx and unreachable are temporary, 5xx permanent; the enhanced code is read from the reply", () => {
    const t = classify({ responseCode: 451, response: "451 4.3.0 later" }, "mx.x");
    expect([t.kind, t.status, t.diagnostic()]).toEqual(["temporary", "4.3.0", "smtp; 451 4.3.0 later"]);
    const p = classify({ responseCode: 550, response: "550 no such user" }, "mx.x");
    expect([p.kind, p.status]).toEqual(["permanent", "5.0.0"]);
    const c = classify({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, "mx.x");
    expect([c.kind, c.status, c.reply]).toEqual(["temporary", "4.4.1", null]);
  });

  test("bounce types from the status", () => {
    expect(bounceType("5.1.1")).toBe("NoSuchRecipient");
    expect(bounceType("5.1.10")).toBe("NoSuchDomain");
    expect(bounceType("5.2.2")).toBe("MailboxFull");
    expect(bounceType("4.4.7")).toBe("Expired");
    expect(bounceType("5.7.1")).toBe("Rejected");
  });
});

describe("routing", () => {
  const resolver = (zone: {
    mx?: Record<string, { exchange: string; priority: number }[]>;
    a?: Record<string, string[]>;
    fail?: boolean;
  }): DnsResolver => ({
    txt: async () => [],
    mx: async (name) => {
      if (zone.fail) throw new Error("SERVFAIL");
      return [...(zone.mx?.[name] ?? [])].sort((x, y) => x.priority - y.priority);
    },
    a: async (name) => zone.a?.[name] ?? [],
    aaaa: async () => [],
  });
  const opts = (r: DnsResolver) => ({ relay: null, resolver: r, port: 2525 });

  test("MX hosts by preference, each host's addresses", async () => {
    const r = resolver({
      mx: {
        "d.example": [
          { exchange: "b.d.example", priority: 20 },
          { exchange: "a.d.example.", priority: 10 },
        ],
      },
      a: { "a.d.example": ["192.0.2.1", "192.0.2.2"], "b.d.example": ["192.0.2.3"] },
    });
    const hops = await routeFor("d.example", opts(r));
    expect(hops.map((h) => [h.name, h.address, h.port])).toEqual([
      ["a.d.example", "192.0.2.1", 2525],
      ["a.d.example", "192.0.2.2", 2525],
      ["b.d.example", "192.0.2.3", 2525],
    ]);
    expect(hops.every((h) => !h.verifyTls && !h.secure)).toBe(true);
  });

  test("no MX: the domain's own address; neither: permanent 5.1.2; null MX: 5.1.10; DNS down: temporary", async () => {
    expect(
      (await routeFor("a.example", opts(resolver({ a: { "a.example": ["192.0.2.9"] } }))))[0]?.address,
    ).toBe("192.0.2.9");
    const none = await routeFor("none.example", opts(resolver({}))).catch((e) => e);
    expect([none.kind, none.status]).toEqual(["permanent", "5.1.2"]);
    const nullMx = await routeFor(
      "n.example",
      opts(resolver({ mx: { "n.example": [{ exchange: ".", priority: 0 }] } })),
    )
      .then(() => null)
      .catch((e: DeliveryFailure) => e);
    expect(nullMx?.status).toBe("5.1.10");
    const down = await routeFor("x.example", opts(resolver({ fail: true }))).catch((e) => e);
    expect(down.kind).toBe("temporary");
  });

  test("a relay takes everything; its TLS is verified when it has credentials or implicit TLS", async () => {
    const hops = await routeFor("any.example", {
      relay: { host: "192.0.2.50", port: 587, secure: false, auth: { user: "u", pass: "p" } },
      resolver: resolver({}),
      port: 25,
    });
    expect(hops).toEqual([
      {
        name: "192.0.2.50",
        address: "192.0.2.50",
        port: 587,
        secure: false,
        auth: { user: "u", pass: "p" },
        verifyTls: true,
      },
    ]);
  });
});

describe("DSN", () => {
  test("multipart/report with delivery-status and the original header block", () => {
    const original = Buffer.from("Subject: hi\r\nMessage-ID: <o@x>\r\n\r\nsecret body\r\n");
    const dsn = buildDsn({
      reportingMta: "mail.example",
      to: "sender@example.com",
      arrivalDate: new Date(0),
      recipients: [
        { address: "r@remote", status: "5.1.1", diagnostic: "smtp; 550 5.1.1\r\nno", remoteMta: "mx.remote" },
      ],
      original,
      messageId: "<dsn.1@mail.example>",
    });
    const text = dsn.toString();
    expect(text).not.toContain("secret body");
    expect(text).toContain("Diagnostic-Code: smtp; 550 5.1.1 no");
    expect(text).toContain("Arrival-Date: Thu, 01 Jan 1970 00:00:00 +0000");
    const parsed = parseMessage(dsn);
    expect(parsed.subject).toBe("Undelivered Mail Returned to Sender");
    expect(parsed.messageId).toBe("<dsn.1@mail.example>");
    expect(parsed.from).toEqual([{ name: "Mail Delivery System", email: "mailer-daemon@mail.example" }]);
    expect(headerBlock(Buffer.from("A: 1\nB: 2\n\nbody")).toString()).toBe("A: 1\nB: 2\n");
    expect(headerBlock(original).toString()).toBe("Subject: hi\r\nMessage-ID: <o@x>\r\n");
  });
});

describe("queue grouping", () => {
  const row = (id: string, rcpt: string, blob = "h1"): OutboundRow =>
    ({ id, rcptTo: rcpt, blobHash: blob, mailFrom: "a@x", grantId: "g", messageId: "m" }) as OutboundRow;
  test("one transaction per message and recipient domain, at most 100 recipients", () => {
    const many = Array.from({ length: 150 }, (_, i) => row(`r${i}`, `u${i}@big.example`));
    const groups = groupRows([
      row("a", "x@one.example"),
      row("b", "y@ONE.example"),
      row("c", "z@two.example"),
      ...many,
    ]);
    expect(groups.map((g) => [g.domain, g.rows.length]).sort()).toEqual([
      ["big.example", 100],
      ["big.example", 50],
      ["one.example", 2],
      ["two.example", 1],
    ]);
  });
});

describe("decisions", () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let email: string;
  let grantId: string;
  const envelope: InboundEnvelope = {
    mailFrom: "a@remote.example",
    declaredSize: null,
    remoteAddress: "192.0.2.1",
    helo: "remote.example",
    secure: true,
  };
  const verdict = (dmarc: AuthVerdict["dmarc"]): AuthVerdict => ({
    spf: { result: "fail", domain: "remote.example" },
    dkim: [],
    dmarc,
    arc: { result: "none" },
  });
  beforeAll(async () => {
    ({ store, cleanup } = await openTempStore());
    ({ email, grantId } = await insertGrant(store, undefined, 10_000));
  });
  afterAll(() => cleanup());
  const ctx = () => ({
    store,
    maxMessageBytes: 5000,
    guardrails: new Guardrails(store, {
      maxMessageBytes: 5000,
      storageQuotaBytes: 10_000,
      dailySendLimit: 100,
    }),
    evaluations: new PendingEvaluations(store, (error) => {
      throw error;
    }),
  });

  test("at RCPT: unknown 550 5.1.1; declared size over the limit 552 5.3.4; over quota 452 4.2.2", async () => {
    expect(await decideRecipient(ctx(), envelope, "nobody@example.test")).toMatchObject({
      action: "reject",
      code: 550,
      enhanced: "5.1.1",
    });
    expect(await decideRecipient(ctx(), { ...envelope, declaredSize: 6000 }, email)).toMatchObject({
      action: "reject",
      code: 552,
      enhanced: "5.3.4",
    });
    expect(await decideRecipient(ctx(), envelope, email.toUpperCase())).toMatchObject({ action: "accept" });
    await store.writer.submit((tx) =>
      tx.update(grants).set({ storageUsedBytes: 9_000 }).where(eq(grants.id, grantId)).run(),
    );
    expect(await decideRecipient(ctx(), { ...envelope, declaredSize: 2000 }, email)).toMatchObject({
      action: "tempfail",
      code: 452,
      enhanced: "4.2.2",
    });
    await store.writer.submit((tx) =>
      tx.update(grants).set({ storageUsedBytes: 0 }).where(eq(grants.id, grantId)).run(),
    );
  });

  test("after DATA: DMARC reject or quarantine → Junk; none or pass → INBOX; the parse is lazy", async () => {
    const grant = (await store.read.query.grants.findFirst({ where: eq(grants.id, grantId) }))!;
    let parses = 0;
    const message = (dmarc: AuthVerdict["dmarc"]) => ({
      size: 100,
      raw: Buffer.from("Subject: x\r\n\r\n"),
      attachments: async () => [],
      spam: { verdict: async () => null },
      parsed: () => {
        parses++;
        return parseMessage(Buffer.from("Subject: x\r\n\r\n"));
      },
      authentication: verdict(dmarc),
    });
    const reject = await decideMessage(
      ctx(),
      envelope,
      grant,
      message({ result: "fail", domain: "r", policy: "reject" }),
    );
    expect(reject).toMatchObject({ action: "accept", folderId: "junk" });
    const quarantine = await decideMessage(
      ctx(),
      envelope,
      grant,
      message({ result: "fail", domain: "r", policy: "quarantine" }),
    );
    expect(quarantine).toMatchObject({ action: "accept", folderId: "junk" });
    const monitor = await decideMessage(
      ctx(),
      envelope,
      grant,
      message({ result: "fail", domain: "r", policy: "none" }),
    );
    expect(monitor).toMatchObject({ action: "accept", folderId: "inbox" });
    const big = await decideMessage(ctx(), envelope, grant, {
      ...message({ result: "pass", domain: "r", policy: "none" }),
      size: 6000,
    });
    expect(big).toMatchObject({ action: "reject", code: 552 });
    expect(parses).toBe(0);
  });
});
