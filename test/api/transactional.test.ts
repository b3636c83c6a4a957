import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import Nylas from "nylas";
import { outboundQueue } from "../../src/store/schema.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createApplication, expectError, uniqueDomain } from "./helpers.ts";
import { account, expectOk, folderMessages, headerOf, rawOf } from "./send-helpers.ts";

/** POST /v3/domains/{domain}/messages/send: an application sends from its domain, no account. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const TRIAL = "agents.localhost";
const send = (domain: string, body: unknown, key?: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/v3/domains/${domain}/messages/send`, {
    method: "POST",
    headers: { authorization: `Bearer ${key ?? t.apiKey}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, any>,
    headers: r.headers,
  }));

describe("sending", () => {
  test("hosted recipients get it now, from the given address; remote ones are queued with no grant", async () => {
    const b = await account(t, "tx-rcpt");
    const res = await send(TRIAL, {
      from: { email: "receipts@agents.localhost", name: "Receipts" },
      to: [{ email: b.email }, { email: "far@remote.example" }],
      subject: "Your receipt",
      body: "<p>Thanks</p>",
    });
    const data = expectOk(res);
    expect(data).toMatchObject({
      object: "message",
      from: [{ email: "receipts@agents.localhost", name: "Receipts" }],
    });
    const got = (await folderMessages(t, b.id, "inbox")).find((m) => m.subject === "Your receipt");
    expect(got?.from).toEqual([{ name: "Receipts", email: "receipts@agents.localhost" }]);
    expect(headerOf(await rawOf(t, b.id, got?.id), "Message-ID")).toEndWith("@agents.localhost>");
    const rows = await t.server.store.read
      .select()
      .from(outboundQueue)
      .where(eq(outboundQueue.messageId, data.id));
    expect(rows.map((r) => [r.rcptTo, r.grantId, r.mailFrom])).toEqual([
      ["far@remote.example", null, "receipts@agents.localhost"],
    ]);
  });

  test("the SDK's transactionalSend (from as a list of one) and an application template", async () => {
    const b = await account(t, "tx-sdk");
    const tpl = expectOk(
      await api(t, "POST", "/v3/templates", {
        name: "r",
        subject: "Order {{n}}",
        body: "<p>Order {{n}} shipped</p>",
      }),
    );
    const nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
    const res = await nylas.transactionalSend.send({
      domainName: TRIAL,
      requestBody: {
        from: [{ email: "shop@agents.localhost" }],
        to: [{ email: b.email }],
        template: { id: tpl.id, variables: { n: "42" } },
      } as never,
    });
    expect((res.data as any).subject).toBe("Order 42");
    const got = (await folderMessages(t, b.id, "inbox")).find((m) => m.subject === "Order 42");
    expect(got?.body).toContain("Order 42 shipped");
  });
});

describe("Idempotency-Key", () => {
  test("a replay answers the same message with Idempotent-Response: true and sends nothing more", async () => {
    const b = await account(t, "tx-idem");
    const headers = { "idempotency-key": `tx-${crypto.randomUUID()}` };
    const body = { from: { email: "once@agents.localhost" }, to: [{ email: b.email }], subject: "Only once" };
    const first = await send(TRIAL, body, undefined, headers);
    const data = expectOk(first);
    expect(first.headers.get("idempotent-response")).toBeNull();
    const again = await send(TRIAL, body, undefined, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-response")).toBe("true");
    expect(again.body.data).toEqual(data);
    expect(again.body.request_id).not.toBe(first.body.request_id);
    const got = (await folderMessages(t, b.id, "inbox")).filter((m) => m.subject === "Only once");
    expect(got).toHaveLength(1);
  });

  test("the same key with another request is a 409; keys belong to one application; a bad key is a 400", async () => {
    const headers = { "idempotency-key": `tx-${crypto.randomUUID()}` };
    const base = { from: { email: "a@agents.localhost" }, to: [{ email: "x@example.com" }] };
    expectOk(await send(TRIAL, { ...base, subject: "one" }, undefined, headers));
    expectError(
      await send(TRIAL, { ...base, subject: "two" }, undefined, headers),
      409,
      "api.invalid_idempotent_request",
      "different request",
    );
    // Another sender at the same domain is another request too.
    expectError(
      await send(
        TRIAL,
        { ...base, from: { email: "b@agents.localhost" }, subject: "one" },
        undefined,
        headers,
      ),
      409,
      "api.invalid_idempotent_request",
    );
    const other = await createApplication(t, "tx idem other");
    expectOk(await send(TRIAL, { ...base, subject: "two" }, other.key, headers));
    expectError(
      await send(TRIAL, base, undefined, { "idempotency-key": "k".repeat(257) }),
      400,
      "api.invalid_idempotency_key",
      "256",
    );
  });

  test("a failed send releases its key: the same request may be tried again", async () => {
    const headers = { "idempotency-key": `tx-${crypto.randomUUID()}` };
    const bad = {
      from: { email: "a@agents.localhost" },
      to: [{ email: "x@example.com" }],
      template: { id: "nope" },
    };
    const first = await send(TRIAL, bad, undefined, headers);
    expect(first.status).toBeGreaterThanOrEqual(400);
    const again = await send(TRIAL, bad, undefined, headers);
    expect(again.status).toBe(first.status);
    expect(again.headers.get("idempotent-response")).toBeNull();
  });
});

describe("refusals", () => {
  test("another application's domain is a 404; an unverified one a 400; from elsewhere a 400", async () => {
    const other = await createApplication(t, "tx other");
    const domain = uniqueDomain("tx");
    expect(
      (await api(t, "POST", "/v3/admin/domains", { name: "d", domain_address: domain }, other.key)).status,
    ).toBe(200);
    const body = { from: { email: `a@${domain}` }, to: [{ email: "x@example.com" }] };
    expectError(await send(domain, body), 404, "not_found_error");
    expectError(await send(domain, body, other.key), 400, "invalid_request_error", "not verified");
    expectError(
      await send(TRIAL, { from: { email: "a@elsewhere.example" }, to: [{ email: "x@example.com" }] }),
      400,
      "invalid_request_error",
      "from.email must be an address at agents.localhost",
    );
  });

  test("what needs a mailbox or a schedule is refused, with the reason", async () => {
    const base = { from: { email: "a@agents.localhost" }, to: [{ email: "x@example.com" }] };
    for (const [field, value, why] of [
      ["reply_to_message_id", "m1", "no mailbox"],
      ["send_at", Math.floor(Date.now() / 1000) + 3600, "schedule through a grant"],
      ["metadata", { k: "v" }, "no message is stored"],
      ["signature_id", "s1", "unknown field"],
    ] as const) {
      expectError(await send(TRIAL, { ...base, [field]: value }), 400, "invalid_request_error", why);
    }
    expectError(
      await send(TRIAL, { to: [{ email: "x@example.com" }] }),
      400,
      "invalid_request_error",
      "from",
    );
  });
});
