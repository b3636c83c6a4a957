import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import {
  connect,
  createAccount,
  createApplication,
  expectDeleted,
  expectError,
  TRIAL,
  uniqueEmail,
} from "./helpers.ts";

/**
 * Policies, rules, lists and workspaces over plain HTTP: what the SDK suite does not reach
 * (settings.policy_id on grants, the connector's policy, placement in workspaces, isolation
 * between applications, the wire's status codes).
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function policy(name = "p", body: Record<string, unknown> = {}, key?: string): Promise<string> {
  const res = await api(t, "POST", "/v3/policies", { name, ...body }, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.id;
}

describe("settings.policy_id on grants", () => {
  test("an unknown policy is a 400 on create and on PATCH", async () => {
    const res = await connect(t, { email: uniqueEmail(), policy_id: "does-not-exist" });
    expectError(res, 400, "invalid_request_error", "settings.policy_id", "does-not-exist");
    const grant = await createAccount(t);
    const patch = await api(t, "PATCH", `/v3/grants/${grant.id}`, { settings: { policy_id: "nope" } });
    expectError(patch, 400, "invalid_request_error", "settings.policy_id");
  });

  test("a known policy is stored and echoed; PATCH changes it", async () => {
    const p1 = await policy("one");
    const p2 = await policy("two");
    const grant = await createAccount(t, { email: uniqueEmail(), policy_id: p1 });
    expect(grant.settings.policy_id).toBe(p1);
    const patch = await api(t, "PATCH", `/v3/grants/${grant.id}`, { settings: { policy_id: p2 } });
    expect(patch.status).toBe(200);
    expect(patch.body.data.settings.policy_id).toBe(p2);
  });

  test("omitted, it is inherited from the application's nylas connector", async () => {
    const app = await createApplication(t, "connector app");
    const inherited = await policy("inherited", {}, app.key);
    const bad = await api(
      t,
      "POST",
      "/v3/connectors",
      { provider: "nylas", settings: { policy_id: "nope" } },
      app.key,
    );
    expectError(bad, 400, "invalid_request_error", "settings.policy_id");
    const conn = await api(
      t,
      "POST",
      "/v3/connectors",
      { provider: "nylas", settings: { policy_id: inherited } },
      app.key,
    );
    expect(conn.status, JSON.stringify(conn.body)).toBe(201); // Nylas's spec: a connector is created
    const grant = await createAccount(t, { email: uniqueEmail("inherit", TRIAL) }, {}, app.key);
    expect(grant.settings.policy_id).toBe(inherited);
    // Given explicitly, the grant's own wins.
    const own = await policy("own", {}, app.key);
    const explicit = await createAccount(
      t,
      { email: uniqueEmail("own", TRIAL), policy_id: own },
      {},
      app.key,
    );
    expect(explicit.settings.policy_id).toBe(own);
  });
});

describe("workspaces and accounts", () => {
  test("a new account joins the auto-group workspace of its domain, else the default one", async () => {
    const ws = await api(t, "POST", "/v3/workspaces", { name: "trial", domain: TRIAL });
    expect(ws.status, JSON.stringify(ws.body)).toBe(200);
    const list = await api(t, "GET", "/v3/workspaces");
    const def = list.body.data.find((w: { default: boolean }) => w.default);
    expect(list.body.next_cursor).toBeUndefined();
    const grouped = await createAccount(t, { email: uniqueEmail("grouped") });
    expect(grouped.workspace_id).toBe(ws.body.data.workspace_id);
    // Deleting the workspace moves its accounts to the default workspace.
    expectDeleted(await api(t, "DELETE", `/v3/workspaces/${ws.body.data.workspace_id}`));
    const after = await api(t, "GET", `/v3/grants/${grouped.id}`);
    expect(after.body.data.workspace_id).toBe(def.workspace_id);
    const plain = await createAccount(t, { email: uniqueEmail("plain") });
    expect(plain.workspace_id).toBe(def.workspace_id);
  });

  test("the auto-group job: its status says running, then completed with its counts; another application's is a 404", async () => {
    // An application of its own, so that its workspace may take the trial domain.
    const app = await createApplication(t, "regroup");
    const before = await createAccount(t, { email: uniqueEmail("regroup", TRIAL) }, {}, app.key);
    const ws = await api(t, "POST", "/v3/workspaces", { name: "regroup", domain: TRIAL }, app.key);
    expect(ws.status, JSON.stringify(ws.body)).toBe(200);
    expect(before.workspace_id).not.toBe(ws.body.data.workspace_id);
    const started = await api(t, "POST", "/v3/workspaces/auto-group", { specific_domain: TRIAL }, app.key);
    expect(started.status).toBe(200);
    const path = `/v3/workspaces/auto-group/${started.body.data.job_id}`;
    let job = (await api(t, "GET", path, undefined, app.key)).body.data;
    expect(job.job_id).toBe(started.body.data.job_id);
    expect(["running", "completed"]).toContain(job.status);
    for (let i = 0; job.status === "running" && i < 100; i++) {
      await Bun.sleep(50);
      job = (await api(t, "GET", path, undefined, app.key)).body.data;
    }
    expect(job).toMatchObject({ status: "completed", grants_matched: 1, grants_moved: 1 });
    expect(job).not.toHaveProperty("error");
    expect(job.updated_at).toBeGreaterThanOrEqual(job.created_at);
    const moved = await api(t, "GET", `/v3/grants/${before.id}`, undefined, app.key);
    expect(moved.body.data.workspace_id).toBe(ws.body.data.workspace_id);
    // Another application (here the default one) does not see it.
    expectError(await api(t, "GET", path), 404, "not_found_error", "auto-group job");
    expectError(
      await api(t, "GET", "/v3/workspaces/auto-group/nope", undefined, app.key),
      404,
      "not_found_error",
      "auto-group job",
    );
  });

  test("workspace_id must be one of the application's workspaces", async () => {
    const res = await connect(t, { email: uniqueEmail() }, { workspace_id: "nope" });
    expectError(res, 400, "invalid_request_error", "workspace_id");
    const grant = await createAccount(t);
    const patch = await api(t, "PATCH", `/v3/grants/${grant.id}`, { workspace_id: "nope" });
    expectError(patch, 400, "invalid_request_error", "workspace_id");
  });

  test("deleting a policy detaches it from the workspaces that named it", async () => {
    const p = await policy("detached");
    const ws = await api(t, "POST", "/v3/workspaces", { name: "x", domain: "detach.example", policy_id: p });
    expect(ws.body.data.policy_id).toBe(p);
    expectDeleted(await api(t, "DELETE", `/v3/policies/${p}`));
    const after = await api(t, "GET", `/v3/workspaces/${ws.body.data.workspace_id}`);
    expect(after.body.data.policy_id).toBeNull();
  });

  test("deleting a rule takes it out of workspaces and policies", async () => {
    const rule = await api(t, "POST", "/v3/rules", {
      name: "r",
      match: { conditions: [{ field: "from.domain", operator: "is", value: "x.example" }] },
      actions: [{ type: "archive" }],
    });
    expect(rule.status).toBe(201);
    const id = rule.body.data.id;
    const p = await policy("with rule", { rules: [id] });
    const ws = await api(t, "POST", "/v3/workspaces", { name: "y", domain: "rules.example", rule_ids: [id] });
    expectDeleted(await api(t, "DELETE", `/v3/rules/${id}`));
    expect((await api(t, "GET", `/v3/policies/${p}`)).body.data.rules).toEqual([]);
    expect((await api(t, "GET", `/v3/workspaces/${ws.body.data.workspace_id}`)).body.data.rule_ids).toEqual(
      [],
    );
  });
});

describe("wire details", () => {
  test("POST /v3/rules and /v3/lists answer 201, /v3/policies and /v3/workspaces 200", async () => {
    const rule = await api(t, "POST", "/v3/rules", {
      name: "r",
      match: { conditions: [{ field: "from.address", operator: "contains", value: "x" }] },
      actions: [{ type: "mark_as_starred" }],
    });
    expect(rule.status).toBe(201);
    const list = await api(t, "POST", "/v3/lists", { name: "l", type: "tld" });
    expect(list.status).toBe(201);
    expect(list.body.data).toMatchObject({ name: "l", type: "tld", items_count: 0 });
  });

  test("more than 1,000 items in one request is a 400; a bad page_token too", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "big", type: "domain" });
    const items = Array.from({ length: 1001 }, (_, i) => `d${i}.example`);
    const res = await api(t, "POST", `/v3/lists/${list.body.data.id}/items`, { items });
    expectError(res, 400, "invalid_request_error", "at most 1000");
    const ok = await api(t, "POST", `/v3/lists/${list.body.data.id}/items`, { items: items.slice(0, 1000) });
    expect(ok.status).toBe(200);
    expect(ok.body.data.items_count).toBe(1000);
    const page = await api(t, "GET", `/v3/lists/${list.body.data.id}/items?limit=200`);
    expect(page.body.data).toHaveLength(200);
    expect(typeof page.body.next_cursor).toBe("string");
    const bad = await api(t, "GET", `/v3/lists/${list.body.data.id}/items?page_token=zzz`);
    expectError(bad, 400, "invalid_request_error", "page_token");
  });

  test("a list's type cannot change", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "t", type: "tld" });
    const res = await api(t, "PUT", `/v3/lists/${list.body.data.id}`, { type: "domain" });
    expectError(res, 400, "invalid_request_error", "type cannot be changed");
  });
});

describe("isolation between applications", () => {
  test("another application's policy, rule, list and workspace are 404s, and cannot be named", async () => {
    const other = await createApplication(t, "isolated");
    const p = await policy("mine");
    const rule = await api(t, "POST", "/v3/rules", {
      name: "mine",
      match: { conditions: [{ field: "from.domain", operator: "is", value: "a.example" }] },
      actions: [{ type: "trash" }],
    });
    const list = await api(t, "POST", "/v3/lists", { name: "mine", type: "domain" });
    const ws = await api(t, "POST", "/v3/workspaces", { name: "mine", domain: "mine.example" });
    for (const path of [
      `/v3/policies/${p}`,
      `/v3/rules/${rule.body.data.id}`,
      `/v3/lists/${list.body.data.id}`,
      `/v3/lists/${list.body.data.id}/items`,
      `/v3/workspaces/${ws.body.data.workspace_id}`,
    ]) {
      expectError(await api(t, "GET", path, undefined, other.key), 404, "not_found_error");
      expectError(await api(t, "DELETE", path, undefined, other.key), 404, "not_found_error");
    }
    for (const path of ["/v3/policies", "/v3/rules", "/v3/lists"]) {
      const mine = await api(t, "GET", path, undefined, other.key);
      expect(mine.body.data).toEqual([]);
    }
    // Naming them from the other application is as unknown as a made-up id.
    const grant = await connect(t, { email: uniqueEmail("iso"), policy_id: p }, {}, other.key);
    expectError(grant, 400, "invalid_request_error", "settings.policy_id");
    const r2 = await api(
      t,
      "POST",
      "/v3/rules",
      {
        name: "x",
        match: { conditions: [{ field: "from.domain", operator: "in_list", value: [list.body.data.id] }] },
        actions: [{ type: "trash" }],
      },
      other.key,
    );
    expectError(r2, 400, "invalid_request_error", "invalid list ID");
    const w2 = await api(
      t,
      "POST",
      "/v3/workspaces",
      { name: "x", domain: "o.example", policy_id: p },
      other.key,
    );
    expectError(w2, 400, "invalid_request_error", "policy_id");
    const workspaces = await api(t, "GET", "/v3/workspaces", undefined, other.key);
    expect(workspaces.body.data).toHaveLength(1);
    expect(workspaces.body.data[0].default).toBe(true);
  });
});

describe("POST /v3/rules/evaluate (dry run)", () => {
  test("which rules match and what would apply, for fields or raw MIME; nothing is recorded", async () => {
    const list = await api(t, "POST", "/v3/lists", { name: "vips", type: "address" });
    await api(t, "POST", `/v3/lists/${list.body.data.id}/items`, { items: ["boss@corp.example"] });
    const vip = await api(t, "POST", "/v3/rules", {
      name: "vip",
      priority: 1,
      match: { conditions: [{ field: "from.address", operator: "in_list", value: [list.body.data.id] }] },
      actions: [{ type: "assign_to_folder", value: "VIP" }, { type: "mark_as_starred" }],
    });
    const junk = await api(t, "POST", "/v3/rules", {
      name: "corp to junk",
      priority: 5,
      match: { conditions: [{ field: "from.domain", operator: "is", value: "corp.example" }] },
      actions: [{ type: "mark_as_spam" }],
    });
    const ids = [vip.body.data.id, junk.body.data.id];
    const fields = await api(t, "POST", "/v3/rules/evaluate", {
      trigger: "inbound",
      rule_ids: ids,
      message: { from: "Boss@Corp.example" },
    });
    expect(fields.status, JSON.stringify(fields.body)).toBe(200);
    expect(fields.body.data).toMatchObject({
      trigger: "inbound",
      evaluation_stage: "inbox_processing",
      evaluation_input: {
        from_address: "boss@corp.example",
        from_domain: "corp.example",
        from_tld: "example",
      },
      matched_rule_ids: ids,
      would_apply: { folder: "VIP", marked_starred: true },
    });

    // Against an account: its folders (VIP does not exist there, so Junk is next), its rules.
    const policy = await api(t, "POST", "/v3/policies", { name: "dry", rules: ids });
    const grant = await createAccount(t, { email: uniqueEmail("dry"), policy_id: policy.body.data.id });
    const raw = "From: Boss <boss@corp.example>\r\nTo: x@agents.localhost\r\nSubject: hi\r\n\r\nbody\r\n";
    const mime = await api(t, "POST", "/v3/rules/evaluate", {
      trigger: "inbound",
      grant_id: grant.id,
      raw_mime: raw,
    });
    expect(mime.body.data.would_apply).toEqual({
      marked_as_spam: true,
      marked_starred: true,
      folder_id: "junk",
    });
    expect(mime.body.data.rules).toEqual([
      { id: ids[0], matched: true },
      { id: ids[1], matched: true },
    ]);
    const evaluations = await api(t, "GET", `/v3/grants/${grant.id}/rule-evaluations`);
    expect(evaluations.body.data).toEqual([]);
  });

  test("outbound: the grant's address is the sender; block and a bad request", async () => {
    const block = await api(t, "POST", "/v3/rules", {
      name: "no replies to rivals",
      trigger: "outbound",
      match: {
        conditions: [
          { field: "recipient.domain", operator: "is", value: "rival.example" },
          { field: "outbound.type", operator: "is", value: "reply" },
        ],
      },
      actions: [{ type: "block" }],
    });
    const grant = await createAccount(t);
    const res = await api(t, "POST", "/v3/rules/evaluate", {
      trigger: "outbound",
      grant_id: grant.id,
      rule_ids: [block.body.data.id],
      message: { to: ["ceo@rival.example"], reply: true },
    });
    expect(res.body.data).toMatchObject({
      evaluation_stage: "outbound_send",
      evaluation_input: {
        from_address: grant.email,
        recipient_domains: ["rival.example"],
        outbound_type: "reply",
      },
      would_apply: { blocked: true },
    });
    const compose = await api(t, "POST", "/v3/rules/evaluate", {
      trigger: "outbound",
      rule_ids: [block.body.data.id],
      message: { from: grant.email, to: ["ceo@rival.example"] },
    });
    expect(compose.body.data.matched_rule_ids).toEqual([]);
    expectError(
      await api(t, "POST", "/v3/rules/evaluate", { trigger: "inbound", message: {}, raw_mime: "x" }),
      400,
      "invalid_request_error",
      "exactly one",
    );
  });
});
