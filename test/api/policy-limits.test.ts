import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ImapFlow } from "imapflow";
import { ImapClient, imapAppend } from "../imap/harness.ts";
import { mxTransport, rfc822, startSmtpTestServer, submitTransport } from "../smtp/support/smtp.ts";
import { SmtpWire } from "../smtp/support/wire.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, type TestServer } from "../support/server.ts";
import { createAccount, expectError, PASSWORD, uniqueEmail } from "./helpers.ts";
import { call, expectOk, folderMessages, sendJson } from "./send-helpers.ts";

/**
 * A policy's limits, enforced with each surface's answer: daily sent (API 429, submission 451
 * 4.7.0), daily received (MX 452 4.2.1), message size (MX 552 5.3.4, API 413), attachments (MX
 * 552 5.3.4 / 550 5.7.1, API 413 / 400), storage (MX 452 4.2.2, IMAP NO [OVERQUOTA], API 403);
 * the server's AGENTBOX_* values when no policy sets them; a policy change applies at once.
 */

let dns: TestDnsServer;
let t: TestServer;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await startSmtpTestServer({ AGENTBOX_DNS_SERVER: dns.address, AGENTBOX_DAILY_SEND_LIMIT: "5" });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

async function policy(limits: Record<string, unknown>): Promise<string> {
  const res = await api(t, "POST", "/v3/policies", { name: "limits", limits });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.id;
}

async function account(policyId?: string) {
  const grant = await createAccount(t, {
    email: uniqueEmail("limited"),
    app_password: PASSWORD,
    ...(policyId && { policy_id: policyId }),
  });
  return { id: grant.id as string, email: grant.email as string, password: PASSWORD };
}

const send = (grantId: string, extra: Record<string, unknown> = {}) =>
  sendJson(t, grantId, { to: [{ email: "someone@remote.example" }], subject: "s", body: "b", ...extra });

/** MAIL, RCPT and (when accepted) DATA on a raw MX connection. */
async function mx(to: string, data: string, from = "a@remote.example") {
  const wire = await SmtpWire.open(t.server.ports.mx);
  try {
    await wire.read();
    await wire.command("EHLO mta.remote.example");
    await wire.command(`MAIL FROM:<${from}>`);
    const rcpt = await wire.command(`RCPT TO:<${to}>`);
    if (rcpt.code !== 250) return { rcpt, data: null };
    await wire.command("DATA");
    return { rcpt, data: await wire.command(`${data}\r\n.`) };
  } finally {
    wire.close();
  }
}

function withAttachment(type: string, bytes: number, name = "file.bin"): string {
  const boundary = "b0undary";
  return [
    "From: a@remote.example",
    "Subject: attached",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain",
    "",
    "see attached",
    `--${boundary}`,
    `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    "",
    "x".repeat(bytes),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

describe("daily sent", () => {
  test("the policy's limit on the API (429 with Retry-After) and on submission (451 4.7.0)", async () => {
    const a = await account(await policy({ limit_count_daily_email_sent: 1 }));
    expectOk(await send(a.id));
    const second = await send(a.id);
    expectError(second, 429, "rate_limit_error", "daily send limit", "1 of 1");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    const transport = submitTransport(t, "smtps", a);
    try {
      const err = await transport
        .sendMail({ from: a.email, to: "x@remote.example", subject: "s", text: "t" })
        .then(
          () => null,
          (e: { responseCode?: number; response?: string }) => e,
        );
      expect(err?.responseCode).toBe(451);
      expect(err?.response).toContain("4.7.0");
    } finally {
      transport.close();
    }
  });

  test("a policy change applies at once; without a policy, AGENTBOX_DAILY_SEND_LIMIT", async () => {
    const p = await policy({ limit_count_daily_email_sent: 1 });
    const a = await account(p);
    expectOk(await send(a.id));
    expect((await send(a.id)).status).toBe(429);
    expect(
      (await api(t, "PUT", `/v3/policies/${p}`, { limits: { limit_count_daily_email_sent: 3 } })).status,
    ).toBe(200);
    expectOk(await send(a.id));
    // -1: no limit.
    await api(t, "PUT", `/v3/policies/${p}`, { limits: { limit_count_daily_email_sent: -1 } });
    for (let i = 0; i < 4; i++) expectOk(await send(a.id));
    // Detached (settings without a policy): the server's 5 a day, of which 6 are used.
    await api(t, "PATCH", `/v3/grants/${a.id}`, { settings: { email: a.email } });
    expect((await send(a.id)).status).toBe(429);
  });

  test("precedence: the grant's own policy, then its workspace's", async () => {
    const wsPolicy = await policy({ limit_count_daily_email_sent: 1 });
    const own = await policy({ limit_count_daily_email_sent: 2 });
    const ws = await api(t, "POST", "/v3/workspaces", {
      name: "limits",
      domain: "limits.example",
      auto_group: false,
      policy_id: wsPolicy,
    });
    const a = await account();
    await api(t, "POST", `/v3/workspaces/${ws.body.data.workspace_id}/manual-assign`, {
      assign_grants: [a.id],
    });
    expectOk(await send(a.id));
    expect((await send(a.id)).status).toBe(429);
    await api(t, "PATCH", `/v3/grants/${a.id}`, { settings: { email: a.email, policy_id: own } });
    expectOk(await send(a.id));
    expect((await send(a.id)).status).toBe(429);
  });
});

describe("daily received", () => {
  test("MX: past the limit, 452 4.2.1 at RCPT (a temporary refusal: the sender retries tomorrow)", async () => {
    const a = await account(await policy({ limit_count_daily_message_received: 2 }));
    for (const n of [1, 2]) {
      const r = await mx(a.email, rfc822({ From: "a@remote.example", Subject: `n${n}` }));
      expect(r.data?.code).toBe(250);
    }
    const third = await mx(a.email, rfc822({ Subject: "n3" }));
    expect(third.rcpt.code).toBe(452);
    expect(third.rcpt.text).toContain("4.2.1");
    expect(await folderMessages(t, a.id, "inbox")).toHaveLength(2);
  });

  test("local delivery past the limit bounces to the sender", async () => {
    const b = await account(await policy({ limit_count_daily_message_received: 1 }));
    const sender = await account();
    expectOk(await sendJson(t, sender.id, { to: [{ email: b.email }], subject: "1", body: "x" }));
    expectOk(await sendJson(t, sender.id, { to: [{ email: b.email }], subject: "2", body: "x" }));
    expect(await folderMessages(t, b.id, "inbox")).toHaveLength(1);
    const bounces = await folderMessages(t, sender.id, "inbox");
    expect(bounces).toHaveLength(1);
  });
});

describe("message size", () => {
  test("MX: a declared SIZE over the policy's limit is 552 5.3.4 at RCPT; an undeclared one after DATA", async () => {
    const a = await account(await policy({ limit_size_total_mime: 2000 }));
    const wire = await SmtpWire.open(t.server.ports.mx);
    try {
      await wire.read();
      await wire.command("EHLO mta.remote.example");
      await wire.command("MAIL FROM:<a@remote.example> SIZE=3000");
      const rcpt = await wire.command(`RCPT TO:<${a.email}>`);
      expect(rcpt.code).toBe(552);
      expect(rcpt.text).toContain("5.3.4");
    } finally {
      wire.close();
    }
    const big = await mx(a.email, rfc822({ Subject: "big" }, `${"y".repeat(3000)}\r\n`));
    expect(big.data?.code).toBe(552);
    expect(await folderMessages(t, a.id, "inbox")).toHaveLength(0);
  });

  test("API send over the policy's limit: 413", async () => {
    const a = await account(await policy({ limit_size_total_mime: 2000 }));
    const res = await send(a.id, { body: "z".repeat(3000) });
    expectError(res, 413, "invalid_request_error", "limit is 2000 bytes");
  });

  test("IMAP: APPENDLIMIT is the policy's limit; an announced literal over it is NO [TOOBIG], never read", async () => {
    const p = await policy({ limit_size_total_mime: 2000 });
    const a = await account(p);
    const c = await ImapClient.connect(t.server.ports.imaps);
    try {
      await c.login(a.email);
      expect((await c.ok("a0 CAPABILITY"))[0]).toContain("APPENDLIMIT=2000");
      expect((await c.ok("a1 STATUS INBOX (APPENDLIMIT)"))[0]).toContain("APPENDLIMIT 2000");
      expect((await c.transact("a2 APPEND INBOX {2001}")).tagged).toBe(
        "a2 NO [TOOBIG] Literal of 2001 bytes is over APPENDLIMIT (2000)",
      );
      // Still in sync: the literal was refused before the client sent it.
      expect((await c.transact("a3 NOOP")).tagged).toBe("a3 OK NOOP completed");
      const fits = rfc822({ Subject: "fits" });
      expect((await imapAppend(c, "a4", "INBOX", fits)).startsWith("a4 OK")).toBe(true);
      // A policy change applies to the live session at once.
      await api(t, "PUT", `/v3/policies/${p}`, { limits: { limit_size_total_mime: 3000 } });
      expect((await c.ok("a5 CAPABILITY"))[0]).toContain("APPENDLIMIT=3000");
    } finally {
      c.close();
    }
    // An account without a policy: the server's limit.
    const plain = await account();
    const d = await ImapClient.connect(t.server.ports.imaps);
    try {
      await d.login(plain.email);
      expect((await d.ok("b0 CAPABILITY"))[0]).toContain(
        `APPENDLIMIT=${t.server.config.limits.maxMessageBytes}`,
      );
    } finally {
      d.close();
    }
  });

  test("API draft create and update over the policy's limit: 413, nothing stored", async () => {
    const a = await account(await policy({ limit_size_total_mime: 2000 }));
    const path = `/v3/grants/${a.id}/drafts`;
    const big = await api(t, "POST", path, { subject: "d", body: "z".repeat(3000) });
    expectError(big, 413, "invalid_request_error", "limit is 2000 bytes");
    expect((await api(t, "GET", path)).body.data).toHaveLength(0);
    const small = await api(t, "POST", path, { subject: "d", body: "small" });
    expect(small.status).toBe(200);
    const grown = await api(t, "PUT", `${path}/${small.body.data.id}`, { body: "z".repeat(3000) });
    expectError(grown, 413, "invalid_request_error", "limit is 2000 bytes");
  });

  test("a policy may not raise it above AGENTBOX_MAX_MESSAGE_BYTES", async () => {
    const res = await api(t, "POST", "/v3/policies", {
      name: "too big",
      limits: { limit_size_total_mime: 1024 * 1024 * 1024 },
    });
    expectError(res, 400, "invalid_request_error", "AGENTBOX_MAX_MESSAGE_BYTES");
  });
});

describe("attachments", () => {
  test("MX: a type not allowed is 550 5.7.1, an attachment too big is 552 5.3.4", async () => {
    const a = await account(
      await policy({
        limit_attachment_allowed_types: ["application/pdf", "image/*"],
        limit_attachment_size_limit: 1000,
        limit_attachment_count_limit: 1,
      }),
    );
    const exe = await mx(a.email, withAttachment("application/x-msdownload", 10, "run.exe"));
    expect(exe.data?.code).toBe(550);
    expect(exe.data?.text).toContain("5.7.1");
    expect(exe.data?.text).toContain("application/x-msdownload");
    const huge = await mx(a.email, withAttachment("application/pdf", 5000));
    expect(huge.data?.code).toBe(552);
    expect(huge.data?.text).toContain("5.3.4");
    const png = await mx(a.email, withAttachment("image/png", 100, "p.png"));
    expect(png.data?.code).toBe(250);
    expect(await folderMessages(t, a.id, "inbox")).toHaveLength(1);
  });

  test("API send: a type not allowed is a 400, too big a 413", async () => {
    const a = await account(
      await policy({
        limit_attachment_allowed_types: ["application/pdf"],
        limit_attachment_size_limit: 1000,
      }),
    );
    const attach = (type: string, bytes: number) => ({
      attachments: [
        { filename: "f", content_type: type, content: Buffer.from("q".repeat(bytes)).toString("base64") },
      ],
    });
    expectError(await send(a.id, attach("text/csv", 10)), 400, "invalid_request_error", "text/csv");
    expectError(
      await send(a.id, attach("application/pdf", 2000)),
      413,
      "invalid_request_error",
      "1000 bytes",
    );
    expectOk(await send(a.id, attach("application/pdf", 500)));
  });
});

describe("storage", () => {
  test("over the policy's storage: MX 452 4.2.2, IMAP APPEND NO [OVERQUOTA], API 403; a live actor sees the change", async () => {
    const p = await policy({ limit_storage_total: 100_000 });
    const a = await account(p);
    // The actor is live (a message stored) when the policy shrinks.
    expect((await mx(a.email, rfc822({ Subject: "first" }))).data?.code).toBe(250);
    await api(t, "PUT", `/v3/policies/${p}`, { limits: { limit_storage_total: 1500 } });
    const quota = await mx(a.email, rfc822({ Subject: "second" }, `${"w".repeat(2000)}\r\n`));
    expect(quota.rcpt.code === 452 || quota.data?.code === 452).toBe(true);
    expect(quota.rcpt.code === 452 ? quota.rcpt.text : quota.data?.text).toContain("4.2.2");

    const client = new ImapFlow({
      host: "127.0.0.1",
      port: t.server.ports.imaps,
      secure: true,
      auth: { user: a.email, pass: a.password },
      tls: { rejectUnauthorized: false },
      logger: false,
    });
    await client.connect();
    try {
      const err = await client
        .append("INBOX", rfc822({ Subject: "appended" }, `${"v".repeat(2000)}\r\n`))
        .then(
          () => null,
          (e: { serverResponseCode?: string }) => e,
        );
      expect(err?.serverResponseCode).toBe("OVERQUOTA");
    } finally {
      await client.logout();
    }
    expectError(await send(a.id, { body: "u".repeat(2000) }), 403, "forbidden", "storage quota");
  });
});

describe("no policy", () => {
  test("an account without one runs at the server's defaults (sends: AGENTBOX_DAILY_SEND_LIMIT=5)", async () => {
    const a = await account();
    for (let i = 0; i < 5; i++) expectOk(await send(a.id));
    expect((await send(a.id)).status).toBe(429);
    const transport = mxTransport(t);
    try {
      await transport.sendMail({
        envelope: { from: "a@remote.example", to: [a.email] },
        raw: rfc822({ Subject: "in" }),
      });
    } finally {
      transport.close();
    }
    expect((await call(t, "GET", `/v3/grants/${a.id}/messages?in=inbox`)).body.data).toHaveLength(1);
  });
});

describe("GET /v3/grants/{id}/usage", () => {
  test("storage, today's sends and receipts against the policy's limits, as they move", async () => {
    const a = await account(
      await policy({
        limit_count_daily_email_sent: 3,
        limit_count_daily_message_received: 10,
        limit_storage_total: 5_000_000,
      }),
    );
    const usage = async () => {
      const res = await api(t, "GET", `/v3/grants/${encodeURIComponent(a.email)}/usage`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data;
    };
    const before = await usage();
    expect(before).toMatchObject({
      grant_id: a.id,
      object: "usage",
      day: new Date().toISOString().slice(0, 10),
      storage: { used_bytes: 0, quota_bytes: 5_000_000 },
      sent_today: { count: 0, limit: 3 },
      received_today: { count: 0, limit: 10 },
    });
    expectOk(await send(a.id));
    const received = await mx(a.email, "From: a@remote.example\r\nSubject: counted\r\n\r\nhello");
    expect(received.data?.code).toBe(250);
    const after = await usage();
    expect(after.sent_today).toEqual({ count: 1, limit: 3 });
    expect(after.received_today).toEqual({ count: 1, limit: 10 });
    expect(after.storage.used_bytes).toBeGreaterThan(0);
  });

  test("without a policy: the server's limits, no receive limit; -1 reads as no limit (null)", async () => {
    const a = await account();
    const plain = (await api(t, "GET", `/v3/grants/${a.id}/usage`)).body.data;
    expect(plain.policy_id).toBeNull();
    expect(plain.sent_today).toEqual({ count: 0, limit: 5 });
    expect(plain.received_today).toEqual({ count: 0, limit: null });
    const b = await account(await policy({ limit_count_daily_email_sent: -1, limit_storage_total: -1 }));
    const unlimited = (await api(t, "GET", `/v3/grants/${b.id}/usage`)).body.data;
    expect(unlimited.sent_today.limit).toBeNull();
    expect(unlimited.storage.quota_bytes).toBeNull();
  });

  test("an unknown account is a 404 in the Nylas envelope", async () => {
    expectError(await api(t, "GET", "/v3/grants/nobody@agents.localhost/usage"), 404, "not_found_error");
  });
});
