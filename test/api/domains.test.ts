import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestDnsServer, type TestDnsServer } from "../support/dns-server.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import {
  connect,
  createAccount,
  createApplication,
  expectDeleted,
  expectError,
  expectRequestId,
  nowSeconds,
  TRIAL,
  uniqueDomain,
} from "./helpers.ts";

/** /v3/admin/domains (reference §7.1) with verification against a real loopback DNS server. */

const MAIL_HOST = "mail.agentbox.test"; // AGENTBOX_HOSTNAME of the test server
const TYPES = ["ownership", "mx", "spf", "dkim", "feedback"] as const;
type Kind = (typeof TYPES)[number];

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

async function createDomain(address = uniqueDomain(), name = "test domain", key?: string) {
  const res = await api(t, "POST", "/v3/admin/domains", { name, domain_address: address }, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as Record<string, any>;
}

const info = (id: string, type: string) => api(t, "POST", `/v3/admin/domains/${id}/info`, { type });
const verify = (id: string, type: string) => api(t, "POST", `/v3/admin/domains/${id}/verify`, { type });

/** The record `info` tells the operator to publish. */
async function recordFor(
  id: string,
  kind: Kind,
): Promise<{ type: string; host: string; value: string; priority?: number }> {
  const res = await info(id, kind);
  expect(res.status).toBe(200);
  return res.body.data.attempt.options;
}

/** Publishes every record of `kinds` into the loopback DNS server (TXT values at one host together). */
async function publish(id: string, kinds: readonly Kind[]): Promise<void> {
  const txt = new Map<string, string[]>();
  for (const kind of kinds) {
    const record = await recordFor(id, kind);
    if (record.type === "MX") {
      dns.set(record.host, "MX", [{ exchange: record.value, priority: record.priority ?? 10 }]);
    } else {
      txt.set(record.host, [...(txt.get(record.host) ?? []), record.value]);
    }
  }
  for (const [host, values] of txt) dns.set(host, "TXT", values);
}

describe("POST /v3/admin/domains", () => {
  test("invalid domain addresses are 400s", async () => {
    for (const address of [
      "not a domain",
      "localhost",
      "-bad.example.test",
      "a..b.test",
      "under_score.test",
      "x@y.test",
    ]) {
      const res = await api(t, "POST", "/v3/admin/domains", { name: "x", domain_address: address });
      expectError(res, 400, "invalid_request_error", "domain_address");
    }
  });

  test("missing or unknown fields are 400s naming them", async () => {
    expectError(
      await api(t, "POST", "/v3/admin/domains", { name: "x" }),
      400,
      "invalid_request_error",
      "domain_address",
    );
    const noName = await api(t, "POST", "/v3/admin/domains", { domain_address: uniqueDomain() });
    expectError(noName, 400, "invalid_request_error", "name");
    const extra = await api(t, "POST", "/v3/admin/domains", {
      name: "x",
      domain_address: uniqueDomain(),
      region: "eu",
    });
    expectError(extra, 400, "invalid_request_error", "region");
  });

  test("creates the Nylas domain object, lower-casing the address", async () => {
    const address = uniqueDomain("Shape-");
    const res = await api(t, "POST", "/v3/admin/domains", {
      name: "My domain",
      domain_address: address.toUpperCase(),
    });
    expect(res.status).toBe(200);
    expectRequestId(res);
    const d = res.body.data;
    const appId = (await api(t, "GET", "/v3/applications")).body.data.application_id;
    expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(d).toEqual({
      id: d.id,
      name: "My domain",
      domain_address: address.toLowerCase(),
      organization_id: appId,
      branded: false,
      region: "us",
      verified_ownership: false,
      verified_dkim: false,
      verified_spf: false,
      verified_mx: false,
      verified_feedback: false,
      verified_dmarc: false,
      verified_arc: false,
      created_at: d.created_at,
      updated_at: d.updated_at,
    });
    expect(Number.isInteger(d.created_at)).toBe(true);
    expect(Math.abs(d.created_at - nowSeconds())).toBeLessThan(60);
  });

  test("the same address twice (in any case) is a 409", async () => {
    const address = uniqueDomain();
    await createDomain(address);
    expectError(
      await api(t, "POST", "/v3/admin/domains", { name: "again", domain_address: address }),
      409,
      "conflict",
      address,
    );
    const upper = await api(t, "POST", "/v3/admin/domains", {
      name: "again",
      domain_address: address.toUpperCase(),
    });
    expectError(upper, 409, "conflict");
  });
});

describe("GET /v3/admin/domains", () => {
  // A fresh application, so its list holds exactly the domains made here.
  let key: string;
  let made: Record<string, any>[];
  beforeAll(async () => {
    key = (await createApplication(t, "domain lister")).key;
    made = [];
    for (const n of [1, 2, 3]) made.push(await createDomain(uniqueDomain(`page${n}-`), `d${n}`, key));
  });
  const list = (query: string) => api(t, "GET", `/v3/admin/domains${query}`, undefined, key);
  const ids = (body: Record<string, any>) => (body.data as { id: string }[]).map((d) => d.id);

  test("a page_token the server did not issue is a 400", async () => {
    expectError(await list("?page_token=bogus"), 400, "invalid_request_error", "page_token");
    expectError(await list("?limit=0"), 400, "invalid_request_error", "limit");
  });

  test("pages with limit and page_token in a stable order; the last page has no next_cursor", async () => {
    const all = await list("");
    // Nylas types the domain list's next_cursor as a string: absent on the last page, never null.
    expect(Object.keys(all.body).sort()).toEqual(["data", "request_id"]);
    // Creation second first, then id (ids are random, so equal seconds order by id).
    const order = ids(all.body);
    expect([...order].sort()).toEqual(made.map((d) => d.id).sort());
    const byAge = made.map((d) => d.id); // created one after another: creation order
    expect(order).toEqual(byAge);
    const first = await list("?limit=2");
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(order.slice(0, 2));
    expect(typeof first.body.next_cursor).toBe("string");
    const second = await list(`?limit=2&page_token=${encodeURIComponent(first.body.next_cursor)}`);
    expect(ids(second.body)).toEqual(order.slice(2));
    expect("next_cursor" in second.body).toBe(false);
  });

  test("a cursor survives the deletion of the last domain it saw", async () => {
    const other = (await createApplication(t, "cursor")).key;
    for (const n of [1, 2, 3]) await createDomain(uniqueDomain(`cur${n}-`), `c${n}`, other);
    const order = ids((await api(t, "GET", "/v3/admin/domains", undefined, other)).body);
    const first = await api(t, "GET", "/v3/admin/domains?limit=2", undefined, other);
    expect(ids(first.body)).toEqual(order.slice(0, 2));
    expectDeleted(await api(t, "DELETE", `/v3/admin/domains/${order[1]}`, undefined, other));
    const token = encodeURIComponent(first.body.next_cursor);
    const second = await api(t, "GET", `/v3/admin/domains?limit=2&page_token=${token}`, undefined, other);
    expect(ids(second.body)).toEqual(order.slice(2));
  });
});

describe("GET and PUT /v3/admin/domains/{id}", () => {
  let d: Record<string, any>;
  beforeAll(async () => {
    d = await createDomain(uniqueDomain("get-"), "original");
  });

  test("unknown ids and addresses are 404s", async () => {
    expectError(await api(t, "GET", `/v3/admin/domains/${crypto.randomUUID()}`), 404, "not_found_error");
    expectError(await api(t, "GET", "/v3/admin/domains/nowhere.example.test"), 404, "not_found_error");
    const put = await api(t, "PUT", `/v3/admin/domains/${crypto.randomUUID()}`, { name: "x" });
    expectError(put, 404, "not_found_error");
  });

  test("a reference that decodes to a stray percent sign is a 404, not a 500", async () => {
    // Decoded once by the router: "%25" is the id "%", not a malformed escape.
    expectError(await api(t, "GET", "/v3/admin/domains/%25"), 404, "not_found_error");
  });

  test("by id, by address, and by upper-case address", async () => {
    for (const ref of [d.id, d.domain_address, d.domain_address.toUpperCase()]) {
      const res = await api(t, "GET", `/v3/admin/domains/${ref}`);
      expect(res.status, ref).toBe(200);
      expect(res.body.data).toEqual(d);
    }
  });

  test("PUT with an unknown field (the address cannot change) is a 400 naming it", async () => {
    const res = await api(t, "PUT", `/v3/admin/domains/${d.id}`, {
      name: "x",
      domain_address: "other.example.test",
    });
    expectError(res, 400, "invalid_request_error", "domain_address");
    expectError(await api(t, "PUT", `/v3/admin/domains/${d.id}`, {}), 400, "invalid_request_error", "name");
    expect((await api(t, "GET", `/v3/admin/domains/${d.id}`)).body.data.name).toBe("original");
  });

  test("PUT renames", async () => {
    const res = await api(t, "PUT", `/v3/admin/domains/${d.id}`, { name: "renamed" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: d.id, name: "renamed", domain_address: d.domain_address });
    expect((await api(t, "GET", `/v3/admin/domains/${d.domain_address}`)).body.data.name).toBe("renamed");
  });
});

describe("info and verify", () => {
  test("an unknown type is a 400 listing the types; an unknown domain a 404", async () => {
    const d = await createDomain();
    expectError(await info(d.id, "dmarc"), 400, "invalid_request_error", ...TYPES);
    expectError(await verify(d.id, "bogus"), 400, "invalid_request_error", "ownership");
    expectError(
      await api(t, "POST", `/v3/admin/domains/${d.id}/info`, {}),
      400,
      "invalid_request_error",
      "type",
    );
    expectError(await info(crypto.randomUUID(), "ownership"), 404, "not_found_error");
  });

  test("info returns, per type, the record to publish", async () => {
    const d = await createDomain();
    const address: string = d.domain_address;
    const expected: Record<Kind, { type: string; host: string | RegExp; value: RegExp }> = {
      ownership: { type: "TXT", host: address, value: /^agentbox-ownership-verify=\S{16,}$/ },
      mx: { type: "MX", host: address, value: new RegExp(`^${MAIL_HOST}$`) },
      spf: { type: "TXT", host: address, value: new RegExp(`^v=spf1 .*a:${MAIL_HOST}.* ~all$`) },
      dkim: {
        type: "TXT",
        host: new RegExp(`^[a-z0-9]+\\._domainkey\\.${address}$`),
        value: /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{200,}=*$/,
      },
      feedback: { type: "MX", host: `bounces.${address}`, value: new RegExp(`^${MAIL_HOST}$`) },
    };
    for (const kind of TYPES) {
      const res = await info(d.id, kind);
      expect(res.status, kind).toBe(200);
      expectRequestId(res);
      const result = res.body.data;
      expect(result).toMatchObject({
        domain_id: d.id,
        status: "pending",
        attempt: { type: kind },
        details: {},
      });
      const options = result.attempt.options;
      expect(options.type).toBe(expected[kind].type);
      if (typeof expected[kind].host === "string") expect(options.host).toBe(expected[kind].host);
      else expect(options.host).toMatch(expected[kind].host);
      expect(options.value).toMatch(expected[kind].value);
      expect(result.message).toContain(options.host);
      expect(result.expires_at).toBeGreaterThan(result.created_at);
    }
  });

  test("verify before publishing fails with a message saying what to add; the flag stays false", async () => {
    const d = await createDomain();
    const res = await verify(d.id, "ownership");
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe("failed");
    expect(res.body.data.message).toContain(`No TXT record found at ${d.domain_address}`);
    expect(res.body.data.message).toContain("agentbox-ownership-verify=");
    const mx = await verify(d.id, "mx");
    expect(mx.body.data.status).toBe("failed");
    expect(mx.body.data.message).toContain(MAIL_HOST);
    expect((await api(t, "GET", `/v3/admin/domains/${d.id}`)).body.data.verified_ownership).toBe(false);
  });

  test("a wrong record fails and quotes what was found", async () => {
    const d = await createDomain();
    dns.set(d.domain_address, "MX", [{ exchange: "mx.elsewhere.test", priority: 10 }]);
    const res = await verify(d.id, "mx");
    expect(res.body.data.status).toBe("failed");
    expect(res.body.data.message).toContain("mx.elsewhere.test");
    expect((await api(t, "GET", `/v3/admin/domains/${d.id}`)).body.data.verified_mx).toBe(false);
  });

  test("once published, every type verifies 'done' and its verified_* flag turns true", async () => {
    const d = await createDomain();
    await publish(d.id, TYPES);
    for (const kind of TYPES) {
      const res = await verify(d.id, kind);
      expect(res.body.data.status, `${kind}: ${res.body.data.message}`).toBe("done");
      expect(res.body.data.attempt.type).toBe(kind);
    }
    const after = (await api(t, "GET", `/v3/admin/domains/${d.id}`)).body.data;
    expect(after).toMatchObject({
      verified_ownership: true,
      verified_mx: true,
      verified_spf: true,
      verified_dkim: true,
      verified_feedback: true,
    });
    expect((await info(d.id, "dkim")).body.data.status).toBe("done");
  });

  test("the trial domain is verified without DNS", async () => {
    const trial = (await api(t, "GET", `/v3/admin/domains/${TRIAL}`)).body.data;
    expect(trial).toMatchObject({ domain_address: TRIAL, verified_ownership: true, verified_mx: true });
    expect((await verify(trial.id, "ownership")).body.data.status).toBe("done");
  });
});

describe("accounts on a domain", () => {
  test("are refused until ownership and mx are verified, and accepted after", async () => {
    const d = await createDomain();
    const email = `agent@${d.domain_address}`;
    expectError(await connect(t, { email }), 400, "invalid_request_error", "missing: ownership, mx");
    await publish(d.id, ["ownership"]);
    expect((await verify(d.id, "ownership")).body.data.status).toBe("done");
    const stillRefused = await connect(t, { email });
    expectError(stillRefused, 400, "invalid_request_error", "missing: mx");
    await publish(d.id, ["ownership", "mx"]);
    expect((await verify(d.id, "mx")).body.data.status).toBe("done");
    const created = await createAccount(t, { email });
    expect(created.email).toBe(email);
  });
});

describe("DELETE /v3/admin/domains/{id}", () => {
  test("an unknown domain is a 404", async () => {
    expectError(await api(t, "DELETE", `/v3/admin/domains/${crypto.randomUUID()}`), 404, "not_found_error");
  });

  test("the trial domain cannot be deleted (400)", async () => {
    const trial = (await api(t, "GET", `/v3/admin/domains/${TRIAL}`)).body.data;
    expectError(await api(t, "DELETE", `/v3/admin/domains/${trial.id}`), 400, "invalid_request_error", TRIAL);
    expect((await api(t, "GET", `/v3/admin/domains/${trial.id}`)).status).toBe(200);
  });

  test("a domain with accounts is a 409; once they are gone it deletes", async () => {
    const d = await createDomain();
    await publish(d.id, ["ownership", "mx"]);
    await verify(d.id, "ownership");
    await verify(d.id, "mx");
    const grant = await createAccount(t, { email: `agent@${d.domain_address}` });
    expectError(await api(t, "DELETE", `/v3/admin/domains/${d.id}`), 409, "conflict", "1 account");
    expect((await api(t, "GET", `/v3/admin/domains/${d.id}`)).status).toBe(200);
    expectDeleted(await api(t, "DELETE", `/v3/grants/${grant.id}`));
    expectDeleted(await api(t, "DELETE", `/v3/admin/domains/${d.id}`));
  });

  test("an empty domain deletes with 200 {request_id}; then it is a 404 and its address is free", async () => {
    const d = await createDomain();
    expectDeleted(await api(t, "DELETE", `/v3/admin/domains/${d.domain_address}`));
    expectError(await api(t, "GET", `/v3/admin/domains/${d.id}`), 404, "not_found_error");
    expectError(
      await connect(t, { email: `a@${d.domain_address}` }),
      400,
      "invalid_request_error",
      "not registered",
    );
    const again = await createDomain(d.domain_address);
    expect(again.id).not.toBe(d.id);
  });
});
