import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import bcrypt from "bcryptjs";
import { asc, eq } from "drizzle-orm";
import { calendars, events, folders, grants } from "../../src/store/schema.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import {
  connect,
  createAccount,
  createApplication,
  createPolicy,
  expectDeleted,
  expectError,
  expectRequestId,
  nowSeconds,
  OTHER_PASSWORD,
  PASSWORD,
  TRIAL,
  uniqueDomain,
  uniqueEmail,
} from "./helpers.ts";

/** POST /v3/connect/custom and /v3/grants (reference §2) over real HTTP. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function grantRow(id: string) {
  const [row] = await t.server.store.read.select().from(grants).where(eq(grants.id, id));
  return row;
}

async function eventTypes(grantId: string): Promise<string[]> {
  const rows = await t.server.store.read
    .select()
    .from(events)
    .where(eq(events.grantId, grantId))
    .orderBy(asc(events.seq));
  return rows.map((r) => r.type);
}

async function lastEvent(grantId: string) {
  const rows = await t.server.store.read
    .select()
    .from(events)
    .where(eq(events.grantId, grantId))
    .orderBy(asc(events.seq));
  const last = rows.at(-1);
  return last ? { type: last.type, object: JSON.parse(last.objectJson) } : undefined;
}

const folderIds = async (grantId: string) =>
  (await t.server.store.read.select().from(folders).where(eq(folders.grantId, grantId)))
    .map((f) => f.id)
    .sort();
const calendarRows = (grantId: string) =>
  t.server.store.read.select().from(calendars).where(eq(calendars.grantId, grantId));

describe("POST /v3/connect/custom: refusals", () => {
  test("a provider other than nylas is a 400 naming it", async () => {
    const res = await api(t, "POST", "/v3/connect/custom", {
      provider: "google",
      settings: { email: uniqueEmail() },
    });
    expectError(res, 400, "invalid_request_error", '"google"', "nylas");
  });

  test("a missing provider is a 400", async () => {
    const res = await api(t, "POST", "/v3/connect/custom", { settings: { email: uniqueEmail() } });
    expectError(res, 400, "invalid_request_error", "provider is required");
  });

  test("missing settings, or settings that are not an object, are a 400", async () => {
    expectError(
      await api(t, "POST", "/v3/connect/custom", { provider: "nylas" }),
      400,
      "invalid_request_error",
      "settings",
    );
    const notObject = await api(t, "POST", "/v3/connect/custom", {
      provider: "nylas",
      settings: "a@agents.localhost",
    });
    expectError(notObject, 400, "invalid_request_error", "settings must be a JSON object");
  });

  test("a missing settings.email is a 400 naming it", async () => {
    expectError(await connect(t, {}), 400, "invalid_request_error", "settings.email is required");
    expectError(
      await connect(t, { email: 42 }),
      400,
      "invalid_request_error",
      "settings.email must be a string",
    );
  });

  test("an invalid email is a 400", async () => {
    for (const email of ["not-an-email", `@${TRIAL}`, "a@", `a b@${TRIAL}`, `a@@${TRIAL}`, "a@localhost"]) {
      expectError(await connect(t, { email }), 400, "invalid_request_error", "not a valid email address");
    }
  });

  test("an unknown field in settings is a 400 naming it", async () => {
    const res = await connect(t, { email: uniqueEmail(), imap_host: "x" });
    expectError(res, 400, "invalid_request_error", "settings.imap_host");
  });

  test("an unknown top-level field is a 400 naming it", async () => {
    const res = await connect(t, { email: uniqueEmail() }, { colour: "blue" });
    expectError(res, 400, "invalid_request_error", "colour");
  });

  test("a domain nobody registered is a 400 naming the domain", async () => {
    const res = await connect(t, { email: "agent@nowhere.example" });
    expectError(res, 400, "invalid_request_error", "nowhere.example", "not registered");
  });

  test("a registered but unverified domain is a 400 naming what is missing", async () => {
    const domain = uniqueDomain();
    expect((await api(t, "POST", "/v3/admin/domains", { name: "new", domain_address: domain })).status).toBe(
      200,
    );
    const res = await connect(t, { email: `agent@${domain}` });
    expectError(res, 400, "invalid_request_error", domain, "not verified", "ownership", "mx");
  });

  const RULES: [string, string, string][] = [
    ["17 characters", "Abcdefghijklmnop1", "(got 17)"],
    ["41 characters", `Abcdefghijklmnop1${"x".repeat(24)}`, "(got 41)"],
    ["a space", "Abcdefgh ijklmnop12", "printable ASCII"],
    ["a non-ASCII letter", "Abcdéfghijklmnop12", "printable ASCII"],
    ["a control character", "Abcdefgh\tijklmnop12", "printable ASCII"],
    ["no upper-case letter", "abcdefghijklmnop12", "upper-case"],
    ["no lower-case letter", "ABCDEFGHIJKLMNOP12", "lower-case"],
    ["no digit", "Abcdefghijklmnopqr", "digit"],
  ];
  for (const [rule, password, message] of RULES) {
    test(`an app password with ${rule} is a 400 naming that rule, and nothing is created`, async () => {
      const email = uniqueEmail("pw");
      const res = await connect(t, { email, app_password: password });
      expectError(res, 400, "invalid_request_error", "app_password", message);
      expect(JSON.stringify(res.body)).not.toContain(password);
      expect((await api(t, "GET", `/v3/grants/${email}`)).status).toBe(404);
    });
  }
});

describe("POST /v3/connect/custom: creation", () => {
  test("creates an agent account on the trial domain: 201 with the Nylas grant object", async () => {
    const email = uniqueEmail("shape");
    const res = await connect(t, { email }, { name: "Sales Agent" });
    expect(res.status).toBe(201);
    expectRequestId(res);
    const g = res.body.data;
    expect(g.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(g).toMatchObject({
      provider: "nylas",
      grant_status: "valid",
      email,
      name: "Sales Agent",
      scope: [],
      settings: { email },
      blocked: false,
      email_aliases: [],
    });
    expect(g.settings).not.toHaveProperty("app_password");
    for (const field of ["created_at", "updated_at"]) {
      expect(Number.isInteger(g[field])).toBe(true);
      expect(Math.abs(g[field] - nowSeconds())).toBeLessThan(60);
    }
  });

  test("the email is stored lower-case", async () => {
    const email = uniqueEmail("Mixed.Case").replace(TRIAL, TRIAL.toUpperCase());
    const g = await createAccount(t, { email });
    expect(g.email).toBe(email.toLowerCase());
  });

  test("18- and 40-character app passwords are accepted, stored as bcrypt, never returned", async () => {
    for (const password of [`Abcdefghijklmnop1${"2"}`, `Abcdefghijklmnop1${"x".repeat(23)}`]) {
      const res = await connect(t, { email: uniqueEmail("pwok"), app_password: password });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).not.toContain(password);
      const row = await grantRow(res.body.data.id);
      expect(row?.passwordVersion).toBe(1);
      expect(row?.appPasswordHash).toMatch(/^\$2[aby]\$/);
      expect(await bcrypt.compare(password, row?.appPasswordHash ?? "")).toBe(true);
    }
  });

  test("without an app password, protocol access stays off (no hash stored)", async () => {
    const g = await createAccount(t);
    const row = await grantRow(g.id);
    expect(row?.appPasswordHash).toBeNull();
    expect(row?.passwordVersion).toBe(0);
  });

  test("settings.policy_id is accepted and echoed", async () => {
    const pol1 = await createPolicy(t, "pol-1");
    const g = await createAccount(t, { email: uniqueEmail(), policy_id: pol1 });
    expect(g.settings).toEqual({ email: g.email, policy_id: pol1 });
  });

  test("a new account has exactly the six system folders and one primary calendar", async () => {
    const g = await createAccount(t);
    expect(await folderIds(g.id)).toEqual(["archive", "drafts", "inbox", "junk", "sent", "trash"]);
    const cals = await calendarRows(g.id);
    expect(cals).toHaveLength(1);
    expect(cals[0]?.isPrimary).toBe(true);
  });

  test("creating an account records a grant.created event", async () => {
    const g = await createAccount(t, { email: uniqueEmail() }, { name: "Evented" });
    expect(await eventTypes(g.id)).toEqual(["grant.created"]);
    const event = await lastEvent(g.id);
    expect(event?.object).toMatchObject({
      grant_id: g.id,
      email: g.email,
      provider: "nylas",
      name: "Evented",
    });
  });

  test("the same email again from the same application re-authenticates: 201 (the spec's only success), same id, new settings", async () => {
    const email = uniqueEmail("again");
    const first = await createAccount(t, { email }, { name: "Before" });
    const pol2 = await createPolicy(t, "pol-2");
    const again = await connect(t, { email, app_password: PASSWORD, policy_id: pol2 }, { name: "After" });
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(first.id);
    expect(again.body.data.name).toBe("After");
    expect(again.body.data.settings).toEqual({ email, policy_id: pol2 });
    const row = await grantRow(first.id);
    expect(row?.passwordVersion).toBe(1);
    expect(await bcrypt.compare(PASSWORD, row?.appPasswordHash ?? "")).toBe(true);
    const list = await api(t, "GET", `/v3/grants?email=${encodeURIComponent(email)}`);
    expect(list.body.data).toHaveLength(1);
  });

  test("concurrent creates of one email make one account: every reply 201 with its id", async () => {
    const email = uniqueEmail("race");
    const replies = await Promise.all(Array.from({ length: 5 }, () => connect(t, { email })));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.data.id)).size).toBe(1);
    const rows = await t.server.store.read.select().from(grants).where(eq(grants.email, email));
    expect(rows).toHaveLength(1);
  });

  test("the same email from another application is a 409 and the account is unchanged", async () => {
    const email = uniqueEmail("taken");
    const mine = await createAccount(t, { email }, { name: "Mine" });
    const other = await createApplication(t, "rival");
    const res = await connect(t, { email, app_password: PASSWORD }, { name: "Theirs" }, other.key);
    expectError(res, 409, "conflict", email);
    const row = await grantRow(mine.id);
    expect(row?.name).toBe("Mine");
    expect(row?.appPasswordHash).toBeNull();
  });
});

describe("GET /v3/grants", () => {
  // A fresh application, so the list holds exactly the grants made here.
  let key: string;
  const made: Record<string, any>[] = [];
  beforeAll(async () => {
    key = (await createApplication(t, "lister")).key;
    for (const name of ["one", "two", "three"])
      made.push(await createAccount(t, { email: uniqueEmail(name) }, { name }, key));
  });
  const list = (query: string) => api(t, "GET", `/v3/grants${query}`, undefined, key);
  const ids = (body: Record<string, any>) => (body.data as { id: string }[]).map((g) => g.id);
  // Accounts are created one after another, so creation order is array order (ties within a
  // second break by true creation order).
  const newestFirst = () => made.map((g) => g.id).reverse();

  test("bad paging parameters are 400s naming them", async () => {
    expectError(await list("?limit=0"), 400, "invalid_request_error", "limit");
    expectError(await list("?limit=201"), 400, "invalid_request_error", "limit");
    expectError(await list("?offset=-1"), 400, "invalid_request_error", "offset");
    expectError(await list("?order_by=sideways"), 400, "invalid_request_error", "order_by");
    expectError(await list("?since=yesterday"), 400, "invalid_request_error", "since");
  });

  test("the envelope is {request_id, data, limit, offset} with default limit 10", async () => {
    const res = await list("");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["data", "limit", "offset", "request_id"]);
    expect(res.body.limit).toBe(10);
    expect(res.body.offset).toBe(0);
    expectRequestId(res);
    expect(ids(res.body)).toEqual(newestFirst());
  });

  test("order_by=asc reverses the default newest-first order", async () => {
    expect(ids((await list("?order_by=asc")).body)).toEqual(newestFirst().reverse());
    expect(ids((await list("?order_by=desc&sort_by=created_at")).body)).toEqual(newestFirst());
  });

  test("limit and offset page through the list", async () => {
    const page1 = await list("?limit=2");
    expect(page1.body.limit).toBe(2);
    expect(ids(page1.body)).toEqual(newestFirst().slice(0, 2));
    const page2 = await list("?limit=2&offset=2");
    expect(page2.body.offset).toBe(2);
    expect(ids(page2.body)).toEqual(newestFirst().slice(2));
    expect(ids((await list("?offset=3")).body)).toEqual([]);
  });

  test("email filters to one grant, case-insensitively", async () => {
    const target = made[1]!;
    const res = await list(`?email=${encodeURIComponent(target.email.toUpperCase())}`);
    expect(ids(res.body)).toEqual([target.id]);
    expect(ids((await list(`?email=${encodeURIComponent(`nobody@${TRIAL}`)}`)).body)).toEqual([]);
  });

  test("since and before bound created_at, inclusive", async () => {
    const first = Math.min(...made.map((g) => g.created_at as number));
    const last = Math.max(...made.map((g) => g.created_at as number));
    expect(ids((await list(`?since=${first}&before=${last}`)).body).sort()).toEqual(newestFirst().sort());
    expect(ids((await list(`?since=${last + 1}`)).body)).toEqual([]);
    expect(ids((await list(`?before=${first - 1}`)).body)).toEqual([]);
  });

  test("provider and grant_status filters", async () => {
    expect(ids((await list("?provider=nylas")).body)).toHaveLength(3);
    expect(ids((await list("?provider=google")).body)).toEqual([]);
    expect(ids((await list("?grant_status=valid")).body)).toHaveLength(3);
    expect(ids((await list("?grant_status=invalid")).body)).toEqual([]);
  });
});

describe("GET /v3/grants/{id}", () => {
  let g: Record<string, any>;
  beforeAll(async () => {
    g = await createAccount(t, { email: uniqueEmail("find") }, { name: "Findable" });
  });

  test("unknown ids and emails are 404 not_found_error", async () => {
    expectError(await api(t, "GET", `/v3/grants/${crypto.randomUUID()}`), 404, "not_found_error");
    expectError(await api(t, "GET", `/v3/grants/nobody@${TRIAL}`), 404, "not_found_error", `nobody@${TRIAL}`);
    expectError(await api(t, "GET", `/v3/grants/email:nobody@${TRIAL}`), 404, "not_found_error");
    expectError(await api(t, "GET", `/v3/grants/grant:${crypto.randomUUID()}`), 404, "not_found_error");
  });

  test("by id, by email, by URL-encoded email, by email:, by grant:, and by upper-case email", async () => {
    const refs = [
      g.id,
      g.email,
      encodeURIComponent(g.email),
      `email:${g.email}`,
      encodeURIComponent(`email:${g.email}`),
      `grant:${g.id}`,
      g.email.toUpperCase(),
    ];
    for (const ref of refs) {
      const res = await api(t, "GET", `/v3/grants/${ref}`);
      expect(res.status, ref).toBe(200);
      expectRequestId(res);
      expect(res.body.data).toEqual(g);
    }
  });
  test("a reference that decodes to a stray percent sign is a 404, not a 500", async () => {
    expectError(await api(t, "GET", "/v3/grants/%25"), 404, "not_found_error");
    expectError(await api(t, "DELETE", "/v3/grants/%25"), 404, "not_found_error");
  });

  test("an email with a literal % in its local part is found by its URL-encoded form (decoded once)", async () => {
    const email = uniqueEmail("pct%41x");
    const g = await createAccount(t, { email });
    expect(g.email).toBe(email);
    const res = await api(t, "GET", `/v3/grants/${encodeURIComponent(email)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.id).toBe(g.id);
  });
});

describe("PATCH /v3/grants/{id}", () => {
  test("an unknown grant is a 404", async () => {
    expectError(
      await api(t, "PATCH", `/v3/grants/${crypto.randomUUID()}`, { name: "x" }),
      404,
      "not_found_error",
    );
  });

  test("an unknown field is a 400 naming it, and nothing changes", async () => {
    const g = await createAccount(t, { email: uniqueEmail() }, { name: "Same" });
    expectError(
      await api(t, "PATCH", `/v3/grants/${g.id}`, { nickname: "x" }),
      400,
      "invalid_request_error",
      "nickname",
    );
    expect((await grantRow(g.id))?.name).toBe("Same");
  });

  test("changing settings.email is a 400 and nothing changes", async () => {
    const g = await createAccount(t, { email: uniqueEmail("fixed") }, { name: "Fixed" });
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, {
      name: "Moved",
      settings: { email: uniqueEmail("elsewhere") },
    });
    expectError(res, 400, "invalid_request_error", "settings.email", g.email);
    const row = await grantRow(g.id);
    expect(row?.email).toBe(g.email);
    expect(row?.name).toBe("Fixed");
    expect(await eventTypes(g.id)).toEqual(["grant.created"]);
  });

  test("an invalid app password is a 400 and the old password still verifies", async () => {
    const g = await createAccount(t, { email: uniqueEmail(), app_password: PASSWORD });
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, {
      settings: { email: g.email, app_password: "short1A" },
    });
    expectError(res, 400, "invalid_request_error", "app_password", "18 to 40");
    const row = await grantRow(g.id);
    expect(row?.passwordVersion).toBe(1);
    expect(await bcrypt.compare(PASSWORD, row?.appPasswordHash ?? "")).toBe(true);
  });

  test("name changes; settings are kept when absent; grant.updated is recorded", async () => {
    const keep = await createPolicy(t, "pol-keep");
    const g = await createAccount(t, { email: uniqueEmail(), policy_id: keep }, { name: "Old" });
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, { name: "New" });
    expect(res.status).toBe(200);
    expectRequestId(res);
    expect(res.body.data).toMatchObject({
      id: g.id,
      name: "New",
      settings: { email: g.email, policy_id: keep },
    });
    expect(res.body.data.updated_at).toBeGreaterThanOrEqual(g.updated_at);
    expect((await api(t, "GET", `/v3/grants/${g.id}`)).body.data.name).toBe("New");
    expect(await eventTypes(g.id)).toEqual(["grant.created", "grant.updated"]);
    expect((await lastEvent(g.id))?.object).toMatchObject({ grant_id: g.id, name: "New" });
  });

  test("settings are replaced wholesale", async () => {
    const g = await createAccount(t, { email: uniqueEmail(), policy_id: await createPolicy(t, "pol-gone") });
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, { settings: { email: g.email } });
    expect(res.status).toBe(200);
    expect(res.body.data.settings).toEqual({ email: g.email });
  });

  test("settings.app_password rotates: the version goes up and only the new password verifies", async () => {
    const g = await createAccount(t, { email: uniqueEmail("rotate"), app_password: PASSWORD });
    const before = await grantRow(g.id);
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, {
      settings: { email: g.email, app_password: OTHER_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(OTHER_PASSWORD);
    expect(res.body.data.settings).toEqual({ email: g.email });
    const after = await grantRow(g.id);
    expect(after?.passwordVersion).toBe((before?.passwordVersion ?? 0) + 1);
    expect(await bcrypt.compare(OTHER_PASSWORD, after?.appPasswordHash ?? "")).toBe(true);
    expect(await bcrypt.compare(PASSWORD, after?.appPasswordHash ?? "")).toBe(false);
  });

  test("settings.app_password alone (settings.email omitted) sets the password and keeps the email", async () => {
    // The seeds: "update settings.app_password later" to add or reset it.
    const g = await createAccount(t);
    const res = await api(t, "PATCH", `/v3/grants/${g.id}`, { settings: { app_password: PASSWORD } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.email).toBe(g.email);
    const row = await grantRow(g.id);
    expect(row?.passwordVersion).toBe(1);
    expect(await bcrypt.compare(PASSWORD, row?.appPasswordHash ?? "")).toBe(true);
  });
});

describe("DELETE /v3/grants/{id}", () => {
  test("an unknown grant is a 404", async () => {
    expectError(await api(t, "DELETE", `/v3/grants/${crypto.randomUUID()}`), 404, "not_found_error");
  });

  test("deletes the grant with its folders and calendar, records grant.deleted, frees the email", async () => {
    const g = await createAccount(t, { email: uniqueEmail("bye") });
    expectDeleted(await api(t, "DELETE", `/v3/grants/${encodeURIComponent(g.email)}`));
    expectError(await api(t, "GET", `/v3/grants/${g.id}`), 404, "not_found_error");
    expectError(await api(t, "DELETE", `/v3/grants/${g.id}`), 404, "not_found_error");
    expect(await grantRow(g.id)).toBeUndefined();
    expect(await folderIds(g.id)).toEqual([]);
    expect(await calendarRows(g.id)).toEqual([]);
    expect(await eventTypes(g.id)).toEqual(["grant.created", "grant.deleted"]);
    expect((await lastEvent(g.id))?.object).toMatchObject({ grant_id: g.id, email: g.email });
    const again = await createAccount(t, { email: g.email });
    expect(again.id).not.toBe(g.id);
  });
});
