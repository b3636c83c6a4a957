import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Nylas, { NylasApiError } from "nylas";
import { createAccount, uniqueEmail } from "../api/helpers.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

/**
 * Policies, rules, rule evaluations, lists and workspaces through the official Node SDK
 * (nylas@8.4.0), unchanged but for apiUri: its requests (camelCase bodies turned snake_case,
 * PATCH for workspaces, DELETE with a body for list items) and its parsing of our answers.
 */

let t: TestServer;
let nylas: Nylas;
beforeAll(async () => {
  t = await startTestServer();
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
});
afterAll(() => t.stop());

async function apiErrorOf(call: Promise<unknown>): Promise<NylasApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome))
    throw new Error(`expected a NylasApiError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(NylasApiError);
  return outcome.error as NylasApiError;
}

describe("policies", () => {
  test("create, find, list, update (partial) and destroy", async () => {
    const created = await nylas.policies.create({
      requestBody: {
        name: "Standard",
        limits: {
          limitCountDailyEmailSent: 500,
          limitInboxRetentionPeriod: 365,
          limitSpamRetentionPeriod: 30,
        },
        spamDetection: { useListDnsbl: true, useHeaderAnomalyDetection: true, spamSensitivity: 1.5 },
        options: { additionalFolders: ["escalations"], useCidrAliasing: false },
      },
    });
    const p = created.data;
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.name).toBe("Standard");
    expect(p.limits).toEqual({
      limitCountDailyEmailSent: 500,
      limitInboxRetentionPeriod: 365,
      limitSpamRetentionPeriod: 30,
    });
    expect(p.spamDetection).toEqual({
      useListDnsbl: true,
      useHeaderAnomalyDetection: true,
      spamSensitivity: 1.5,
    });
    expect(p.options).toEqual({ additionalFolders: ["escalations"], useCidrAliasing: false });
    expect(p.rules).toEqual([]);
    expect(typeof p.applicationId).toBe("string");
    expect(typeof p.createdAt).toBe("number");

    const found = await nylas.policies.find({ policyId: p.id });
    expect(found.data).toEqual(p);

    const updated = await nylas.policies.update({ policyId: p.id, requestBody: { name: "Renamed" } });
    expect(updated.data.name).toBe("Renamed");
    expect(updated.data.limits).toEqual(p.limits);

    const ids: string[] = [];
    for await (const page of nylas.policies.list({ queryParams: { limit: 1 } }))
      ids.push(...page.data.map((x) => x.id));
    expect(ids).toContain(p.id);

    const gone = await nylas.policies.destroy({ policyId: p.id });
    expect(gone.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const err = await apiErrorOf(nylas.policies.find({ policyId: p.id }));
    expect(err.statusCode).toBe(404);
  });

  test("invalid limits are a 400 that names the field", async () => {
    const err = await apiErrorOf(
      nylas.policies.create({
        requestBody: { name: "bad", limits: { limitInboxRetentionPeriod: 10, limitSpamRetentionPeriod: 30 } },
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain("limit_spam_retention_period");
    const sensitivity = await apiErrorOf(
      nylas.policies.create({ requestBody: { name: "bad", spamDetection: { spamSensitivity: 9 } } }),
    );
    expect(sensitivity.statusCode).toBe(400);
    expect(sensitivity.message).toContain("spam_sensitivity");
  });
});

describe("lists", () => {
  test("create, items added (normalised, de-duplicated), paged, removed with a DELETE body", async () => {
    const list = (await nylas.lists.create({ requestBody: { name: "blocked domains", type: "domain" } }))
      .data;
    expect(list.type).toBe("domain");
    expect(list.itemsCount).toBe(0);

    const added = await nylas.lists.addItems({
      listId: list.id,
      requestBody: { items: [" Spam.Example ", "spam.example", "bad.example", "worse.example"] },
    });
    expect(added.data.id).toBe(list.id);
    expect(added.data.itemsCount).toBe(3);

    const values: string[] = [];
    for await (const page of nylas.lists.listItems({ listId: list.id, queryParams: { limit: 2 } })) {
      for (const item of page.data) {
        expect(item.listId).toBe(list.id);
        values.push(item.value);
      }
    }
    expect(values).toEqual(["spam.example", "bad.example", "worse.example"]);

    const removed = await nylas.lists.removeItems({
      listId: list.id,
      requestBody: { items: ["BAD.example", "never-there.example"] },
    });
    expect(removed.data.itemsCount).toBe(2);

    const renamed = await nylas.lists.update({ listId: list.id, requestBody: { name: "renamed" } });
    expect(renamed.data.name).toBe("renamed");
    expect(renamed.data.itemsCount).toBe(2);

    await nylas.lists.destroy({ listId: list.id });
    expect((await apiErrorOf(nylas.lists.find({ listId: list.id }))).statusCode).toBe(404);
  });

  test("values are validated against the list's type", async () => {
    const list = (await nylas.lists.create({ requestBody: { name: "addresses", type: "address" } })).data;
    const err = await apiErrorOf(
      nylas.lists.addItems({ listId: list.id, requestBody: { items: ["not-an-address"] } }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain("not an email address");
    expect((await nylas.lists.find({ listId: list.id })).data.itemsCount).toBe(0);
  });
});

describe("rules", () => {
  test("create (201), find, list, update and destroy; in_list names a list of the right type", async () => {
    const list = (await nylas.lists.create({ requestBody: { name: "spam tlds", type: "tld" } })).data;
    const created = await nylas.rules.create({
      requestBody: {
        name: "Block spam",
        priority: 5,
        trigger: "inbound",
        match: {
          operator: "any",
          conditions: [
            { field: "from.domain", operator: "is", value: "Spam.Example" },
            { field: "from.tld", operator: "in_list", value: [list.id] },
          ],
        },
        actions: [{ type: "block" }],
      },
    });
    const rule = created.data;
    expect(rule.enabled).toBe(true);
    expect(rule.priority).toBe(5);
    expect(rule.match.conditions[0]?.value).toBe("spam.example");
    expect(rule.actions).toEqual([{ type: "block" }]);

    expect((await nylas.rules.find({ ruleId: rule.id })).data).toEqual(rule);
    const updated = await nylas.rules.update({ ruleId: rule.id, requestBody: { enabled: false } });
    expect(updated.data.enabled).toBe(false);
    expect(updated.data.match).toEqual(rule.match);

    const listed = await nylas.rules.list();
    expect(listed.data.map((r) => r.id)).toContain(rule.id);

    await nylas.rules.destroy({ ruleId: rule.id });
    expect((await apiErrorOf(nylas.rules.find({ ruleId: rule.id }))).statusCode).toBe(404);
  });

  test("what the reference refuses is a 400", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { match: { conditions: [{ field: "recipient.domain", operator: "is", value: "x.example" }] } },
        "outbound",
      ],
      [{ actions: [{ type: "block" }, { type: "archive" }] }, "terminal"],
      [{ actions: [{ type: "assign_to_folder" }] }, "assign_to_folder"],
      [
        { match: { conditions: [{ field: "from.domain", operator: "in_list", value: ["nope"] }] } },
        "invalid list ID",
      ],
      [{ priority: 1001 }, "priority"],
      [
        {
          trigger: "outbound",
          match: { conditions: [{ field: "outbound.type", operator: "contains", value: "reply" }] },
        },
        "outbound.type",
      ],
    ];
    for (const [change, message] of cases) {
      const body = {
        name: "r",
        match: { conditions: [{ field: "from.domain", operator: "is", value: "a.example" }] },
        actions: [{ type: "mark_as_read" }],
        ...change,
      };
      const err = await apiErrorOf(nylas.rules.create({ requestBody: body as never }));
      expect(err.statusCode, message).toBe(400);
      expect(err.message).toContain(message);
    }
  });

  test("a domain list cannot be matched against from.address", async () => {
    const list = (await nylas.lists.create({ requestBody: { name: "d", type: "domain" } })).data;
    const err = await apiErrorOf(
      nylas.rules.create({
        requestBody: {
          name: "r",
          match: { conditions: [{ field: "from.address", operator: "in_list", value: [list.id] }] },
          actions: [{ type: "trash" }],
        },
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain("holds domain values");
  });

  test("rule evaluations of a grant list through the SDK (empty at first); another grant is a 404", async () => {
    const grant = await createAccount(t, { email: uniqueEmail() });
    const page = await nylas.rules.listEvaluations({ identifier: grant.id });
    expect(page.data).toEqual([]);
    const err = await apiErrorOf(nylas.rules.listEvaluations({ identifier: "no-such-grant" }));
    expect(err.statusCode).toBe(404);
  });
});

describe("workspaces", () => {
  test("the default workspace exists and only its policy and rules can change", async () => {
    const all = await nylas.workspaces.list();
    const def = all.data.find((w) => w.default);
    expect(def).toBeDefined();
    const policy = (await nylas.policies.create({ requestBody: { name: "for default" } })).data;
    const updated = await nylas.workspaces.update({
      workspaceId: def?.workspaceId as string,
      requestBody: { policyId: policy.id },
    });
    expect(updated.data.policyId).toBe(policy.id);
    const err = await apiErrorOf(
      nylas.workspaces.update({ workspaceId: def?.workspaceId as string, requestBody: { name: "x" } }),
    );
    expect(err.statusCode).toBe(400);
    expect(
      (await apiErrorOf(nylas.workspaces.destroy({ workspaceId: def?.workspaceId as string }))).statusCode,
    ).toBe(400);
    await nylas.workspaces.update({
      workspaceId: def?.workspaceId as string,
      requestBody: { policyId: null },
    });
  });

  test("create with policy and rules, PATCH null detaches, domain is immutable and unique", async () => {
    const policy = (await nylas.policies.create({ requestBody: { name: "ws policy" } })).data;
    const rule = (
      await nylas.rules.create({
        requestBody: {
          name: "read",
          match: { conditions: [{ field: "from.domain", operator: "is", value: "a.example" }] },
          actions: [{ type: "mark_as_read" }],
        },
      })
    ).data;
    const ws = (
      await nylas.workspaces.create({
        requestBody: { name: "Sales", domain: "sales.example", policyId: policy.id, ruleIds: [rule.id] },
      })
    ).data;
    expect(ws.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ws.autoGroup).toBe(true);
    expect(ws.default).toBe(false);
    expect(ws.ruleIds).toEqual([rule.id]);

    const dup = await apiErrorOf(
      nylas.workspaces.create({ requestBody: { name: "again", domain: "sales.example" } }),
    );
    expect(dup.statusCode).toBe(400);
    expect(dup.message).toContain("already exists");
    const domain = await apiErrorOf(
      nylas.workspaces.update({ workspaceId: ws.workspaceId, requestBody: { domain: "other.example" } }),
    );
    expect(domain.statusCode).toBe(400);

    const detached = await nylas.workspaces.update({
      workspaceId: ws.workspaceId,
      requestBody: { policyId: null, ruleIds: null },
    });
    expect(detached.data.policyId).toBeNull();
    expect(detached.data.ruleIds).toEqual([]);

    const unknown = await apiErrorOf(
      nylas.workspaces.update({ workspaceId: ws.workspaceId, requestBody: { ruleIds: ["nope"] } }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toContain("not found or does not belong to this application");

    await nylas.workspaces.destroy({ workspaceId: ws.workspaceId });
    expect((await apiErrorOf(nylas.workspaces.find({ workspaceId: ws.workspaceId }))).statusCode).toBe(404);
  });

  test("manual-assign moves accounts in and out; auto-group answers a job", async () => {
    const ws = (
      await nylas.workspaces.create({
        requestBody: { name: "Manual", domain: "manual.example", autoGroup: false },
      })
    ).data;
    const a = await createAccount(t, { email: uniqueEmail("a") });
    const b = await createAccount(t, { email: uniqueEmail("b") });
    const result = await nylas.workspaces.manualAssign({
      workspaceId: ws.workspaceId,
      requestBody: { assignGrants: [a.id, b.id] },
    });
    expect(result.data.grantsAssigned?.sort()).toEqual([a.id, b.id].sort());
    expect(result.data.grantsRemoved).toBeNull();
    expect(
      ((await nylas.grants.find({ grantId: a.id })).data as unknown as { workspaceId: string }).workspaceId,
    ).toBe(ws.workspaceId);

    const out = await nylas.workspaces.manualAssign({
      workspaceId: ws.workspaceId,
      requestBody: { removeGrants: [b.id] },
    });
    expect(out.data.grantsRemoved).toEqual([b.id]);
    expect(
      ((await nylas.grants.find({ grantId: b.id })).data as unknown as { workspaceId: string }).workspaceId,
    ).not.toBe(ws.workspaceId);

    const job = await nylas.workspaces.autoGroup({ requestBody: { specificDomain: "manual.example" } });
    expect(job.data.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.data.message).toContain(job.data.jobId);
  });
});
