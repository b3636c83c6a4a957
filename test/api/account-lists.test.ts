import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SmtpWire } from "../smtp/support/wire.ts";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, createApplication, expectDeleted, expectError, uniqueEmail } from "./helpers.ts";
import { expectOk, folderMessages, sendJson } from "./send-helpers.ts";

/**
 * Per-account allow and block lists with AgentMail's directions (send, receive, reply), over
 * the API and real SMTP: receive lists on the MX, reply lists for replies to the account's own
 * messages (instead of the receive lists), send lists on every send.
 */

let dns: TestDnsServer;
let t: TestServer;
beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await startTestServer({ AGENTBOX_DNS_SERVER: dns.address });
});
afterAll(async () => {
  await t.stop();
  await dns.close();
});

const lists = (grantId: string, direction: string, type: string, entry = "") =>
  `/v3/grants/${grantId}/lists/${direction}/${type}${entry ? `/${encodeURIComponent(entry)}` : ""}`;

async function add(grantId: string, direction: string, type: string, entry: string, reason?: string) {
  const res = await api(t, "POST", lists(grantId, direction, type), { entry, ...(reason && { reason }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

/** MAIL, RCPT, DATA on the MX; the reply to DATA. */
async function mx(to: string, from: string, extra: Record<string, string> = {}) {
  const wire = await SmtpWire.open(t.server.ports.mx);
  try {
    await wire.read();
    await wire.command("EHLO mta.remote.example");
    await wire.command(`MAIL FROM:<${from}>`);
    expect((await wire.command(`RCPT TO:<${to}>`)).code).toBe(250);
    await wire.command("DATA");
    const head = Object.entries({ From: from, To: to, Subject: "hi", ...extra })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n");
    return await wire.command(`${head}\r\n\r\nbody\r\n.`);
  } finally {
    wire.close();
  }
}

describe("entries", () => {
  test("add, list, get, delete; addresses and domains, normalised; bad ones refused", async () => {
    const g = await createAccount(t);
    const entry = await add(g.id, "receive", "block", " Spam@Bad.Example ", "spam");
    expect(entry).toMatchObject({
      entry: "spam@bad.example",
      entry_type: "email",
      direction: "receive",
      list_type: "block",
      reason: "spam",
      grant_id: g.id,
    });
    await add(g.id, "receive", "block", "worse.example");
    const all = await api(t, "GET", lists(g.id, "receive", "block"));
    expect(
      all.body.data.map((e: { entry: string; entry_type: string }) => `${e.entry}:${e.entry_type}`),
    ).toEqual(["spam@bad.example:email", "worse.example:domain"]);
    expect((await api(t, "GET", lists(g.id, "receive", "allow"))).body.data).toEqual([]);
    expect((await api(t, "GET", lists(g.id, "receive", "block", "worse.example"))).body.data.entry).toBe(
      "worse.example",
    );
    expectDeleted(await api(t, "DELETE", lists(g.id, "receive", "block", "worse.example")));
    expectError(
      await api(t, "DELETE", lists(g.id, "receive", "block", "worse.example")),
      404,
      "not_found_error",
    );
    expectError(
      await api(t, "POST", lists(g.id, "receive", "block"), { entry: "not a domain" }),
      400,
      "invalid_request_error",
      "email address or a domain",
    );
    expectError(
      await api(t, "GET", lists(g.id, "sideways", "block")),
      400,
      "invalid_request_error",
      "direction",
    );
    // They are the account's own: not among the application's lists, not reachable elsewhere.
    expect((await api(t, "GET", "/v3/lists")).body.data.map((l: { name: string }) => l.name)).not.toContain(
      "account:receive:block:address",
    );
    const other = await createApplication(t, "other lists");
    expectError(
      await api(t, "GET", lists(g.id, "receive", "block"), undefined, other.key),
      404,
      "not_found_error",
    );
  });
});

describe("receive and reply", () => {
  test("a receive block refuses the sender with 550 5.7.1; the evaluation names the list", async () => {
    const g = await createAccount(t);
    await add(g.id, "receive", "block", "spam.example");
    const refused = await mx(g.email, "x@spam.example");
    expect(refused.code).toBe(550);
    expect(refused.text).toContain("5.7.1");
    expect((await mx(g.email, "x@fine.example")).code).toBe(250);
    const [e] = (await api(t, "GET", `/v3/grants/${g.id}/rule-evaluations?limit=5`)).body.data;
    expect(e).toMatchObject({
      matched_rule_ids: ["account:receive:block"],
      applied_actions: { blocked: true },
    });
  });

  test("a receive allow list admits only its entries (address or domain); replies go by the reply lists", async () => {
    const g = await createAccount(t);
    await add(g.id, "receive", "allow", "partner.example");
    await add(g.id, "receive", "allow", "friend@elsewhere.example");
    expect((await mx(g.email, "a@partner.example")).code).toBe(250);
    expect((await mx(g.email, "friend@elsewhere.example")).code).toBe(250);
    expect((await mx(g.email, "stranger@elsewhere.example")).code).toBe(550);

    // The account writes to someone outside the allow list; the answer is a reply: allowed.
    const sent = expectOk(
      await sendJson(t, g.id, { to: [{ email: "shop@booking.example" }], subject: "table for 2", body: "x" }),
    );
    const messageId = (
      await api(t, "GET", `/v3/grants/${g.id}/messages/${sent.id}?fields=include_headers`)
    ).body.data.headers.find((h: { name: string }) => h.name.toLowerCase() === "message-id").value;
    expect((await mx(g.email, "shop@booking.example", { "In-Reply-To": messageId })).code).toBe(250);
    // A reply block applies to replies only.
    await add(g.id, "reply", "block", "booking.example");
    expect((await mx(g.email, "shop@booking.example", { "In-Reply-To": messageId })).code).toBe(550);
    expect((await folderMessages(t, g.id, "inbox")).length).toBe(3);
  });
});

describe("send", () => {
  test("send allow and block lists refuse the send with a 403; others go out", async () => {
    const g = await createAccount(t, { email: uniqueEmail("outreach") });
    await add(g.id, "send", "allow", "prospects.example");
    await add(g.id, "send", "block", "ceo@prospects.example");
    expectOk(
      await sendJson(t, g.id, { to: [{ email: "lead@prospects.example" }], subject: "hello", body: "x" }),
    );
    expectError(
      await sendJson(t, g.id, { to: [{ email: "someone@random.example" }], subject: "no", body: "x" }),
      403,
      "forbidden",
      "account:send:allow",
    );
    expectError(
      await sendJson(t, g.id, {
        to: [{ email: "lead@prospects.example" }],
        cc: [{ email: "ceo@prospects.example" }],
        subject: "no",
        body: "x",
      }),
      403,
      "forbidden",
      "account:send:block",
    );
  });
});
