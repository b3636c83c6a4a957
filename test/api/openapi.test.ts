import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { createApiApp } from "../../src/api/app.ts";
import type { ApiDeps } from "../../src/api/deps.ts";
import { deliver } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, uniqueDomain, uniqueEmail } from "./helpers.ts";

/**
 * The OpenAPI 3.1 document (GET /v3/openapi.json): valid OpenAPI, one operation for every route
 * the server answers and none it does not, errors described, and the live answers of the routes
 * valid against the document's own schemas.
 */

/** Routes the HTTP server answers itself, before Elysia (src/api/server.ts). */
const SERVER_ROUTES = [
  "GET /healthz",
  "GET /metrics",
  "POST /mcp",
  "GET /",
  "GET /docs",
  "GET /v3/openapi.json",
];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, unknown> };
};

let t: TestServer;
let doc: Doc;
beforeAll(async () => {
  t = await startTestServer();
  const res = await fetch(`${t.url}/v3/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(() => t.stop());

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
  );

describe("the document", () => {
  test("is valid OpenAPI 3.1, served without a key", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("has an operation for every route the server answers, and none other", () => {
    const app = createApiApp({ config: { limits: {} } } as unknown as ApiDeps);
    const served = [
      ...app.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
      ...SERVER_ROUTES,
    ];
    const listed = documented();
    const missing = served.filter((r) => !listed.includes(r));
    const extra = listed.filter((r) => !served.includes(r));
    // A new route needs its line in src/api/openapi/operations.ts.
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test("every operation: a unique id, a tag, its success answer and its errors in the Nylas envelope", () => {
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method} ${path}`;
        expect(ids.has(op.operationId), where).toBe(false);
        ids.add(op.operationId);
        expect(op.tags?.length, where).toBe(1);
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => s.startsWith("2")),
          where,
        ).toBe(true);
        const authenticated = (op.security ?? []).length > 0;
        if (authenticated) {
          for (const status of ["400", "401", "404", "429", "500"]) expect(statuses, where).toContain(status);
        }
        for (const status of statuses.filter((s) => !s.startsWith("2"))) {
          expect(op.responses[status].content["application/json"].schema, `${where} ${status}`).toEqual({
            $ref: "#/components/schemas/Error",
          });
        }
      }
    }
  });

  test("/docs shows every operation; / points at the documents", async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    for (const methods of Object.values(doc.paths)) {
      for (const op of Object.values(methods)) expect(html).toContain(`id="${op.operationId}"`);
    }
    expect(html).not.toContain("<script");
    const index = await api(t, "GET", "/", undefined, null);
    expect(index.body).toMatchObject({
      name: "agentbox",
      openapi: "/v3/openapi.json",
      docs: "/docs",
      mcp: "/mcp",
    });
  });
});

describe("the live answers match the document", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validator = (method: string, path: string, status: string) => {
    if (!ajv.getSchema("openapi")) ajv.addSchema({ ...doc, $id: "openapi" });
    const pointer = ["paths", path, method, "responses", status, "content", "application/json", "schema"]
      .map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1"))
      .join("/");
    const validate = ajv.compile({ $ref: `openapi#/${pointer}` });
    return (body: unknown) => {
      const ok = validate(body);
      return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    };
  };

  test("GET routes of a populated account, and an error", async () => {
    const grant = await createAccount(t);
    const message = await deliver(t, grant.id, {
      subject: "Schema check",
      text: "Code 123456 https://x.example/a",
    });
    await api(t, "POST", `/v3/grants/${grant.id}/drafts`, {
      subject: "draft",
      to: [{ email: "a@b.example" }],
    });
    const G = "/v3/grants/{grantId}";
    const cases: [string, string][] = [
      ["/v3/grants", "/v3/grants"],
      [G, `/v3/grants/${grant.id}`],
      [`${G}/messages`, `/v3/grants/${grant.id}/messages`],
      [`${G}/messages/{messageId}`, `/v3/grants/${grant.id}/messages/${message.id}`],
      [`${G}/drafts`, `/v3/grants/${grant.id}/drafts`],
      [`${G}/threads`, `/v3/grants/${grant.id}/threads`],
      [`${G}/threads/{threadId}`, `/v3/grants/${grant.id}/threads/${message.threadId}`],
      [`${G}/folders`, `/v3/grants/${grant.id}/folders`],
      [`${G}/folders/{folderId}`, `/v3/grants/${grant.id}/folders/inbox`],
      [`${G}/messages/schedules`, `/v3/grants/${grant.id}/messages/schedules`],
      ["/v3/admin/domains", "/v3/admin/domains"],
      ["/v3/applications", "/v3/applications"],
      ["/v3/admin/applications", "/v3/admin/applications"],
      ["/v3/admin/api-keys", "/v3/admin/api-keys"],
      ["/v3/admin/service-accounts", "/v3/admin/service-accounts"],
      ["/v3/webhooks", "/v3/webhooks"],
      ["/v3/webhooks/ip-addresses", "/v3/webhooks/ip-addresses"],
      ["/v3/events", "/v3/events"],
      ["/v3/connectors", "/v3/connectors"],
    ];
    for (const [template, url] of cases) {
      const res = await api(t, "GET", url);
      expect(res.status, url).toBe(200);
      expect(validator("get", template, "200")(res.body), url).toEqual([]);
    }
    const clean = await api(t, "PUT", `/v3/grants/${grant.id}/messages/clean`, { message_id: [message.id] });
    expect(validator("put", `${G}/messages/clean`, "200")(clean.body)).toEqual([]);
    const missing = await api(t, "GET", `/v3/grants/${grant.id}/messages/nope`);
    expect(validator("get", `${G}/messages/{messageId}`, "404")(missing.body)).toEqual([]);
    // The check can fail: a body without data does not match.
    expect(validator("get", G, "200")({ request_id: "x" }).length).toBeGreaterThan(0);
  });

  test("signatures, templates, workflows, API keys, the application, connectors, deliveries, outbound", async () => {
    const grant = await createAccount(t);
    const G = "/v3/grants/{grantId}";
    const g = `/v3/grants/${grant.id}`;
    const failures: string[] = [];
    const check = async (method: string, template: string, url: string, body?: unknown) => {
      const res = await api(t, method.toUpperCase(), url, body);
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      for (const e of validator(method, template, String(res.status))(res.body))
        failures.push(`${method} ${url} ${e}`);
      return res.body as any;
    };
    const sig = await check("post", `${G}/signatures`, `${g}/signatures`, { name: "s", body: "<p>s</p>" });
    await check("get", `${G}/signatures`, `${g}/signatures`);
    await check("put", `${G}/signatures/{signatureId}`, `${g}/signatures/${sig.data.id}`, { name: "t" });
    await check("delete", `${G}/signatures/{signatureId}`, `${g}/signatures/${sig.data.id}`);
    const template = { name: "n", subject: "Hi {{x}}", body: "<p>{{x}}</p>" };
    const appTemplate = await check("post", "/v3/templates", "/v3/templates", template);
    await check("get", "/v3/templates", "/v3/templates");
    const id = appTemplate.data.id;
    await check("put", "/v3/templates/{templateId}", `/v3/templates/${id}`, { engine: "handlebars" });
    await check("post", "/v3/templates/{templateId}/render", `/v3/templates/${id}/render`, {
      variables: { x: "1" },
    });
    await check("post", "/v3/templates/render", "/v3/templates/render", {
      body: "{{x}}",
      engine: "twig",
      variables: { x: "1" },
    });
    const mine = await check("post", `${G}/templates`, `${g}/templates`, template);
    await check("get", `${G}/templates/{templateId}`, `${g}/templates/${mine.data.id}`);
    const flow = {
      name: "w",
      template_id: id,
      trigger_event: "booking.created",
      from: { email: "a@b.example" },
    };
    const wf = await check("post", "/v3/workflows", "/v3/workflows", flow);
    await check("get", "/v3/workflows", "/v3/workflows");
    await check("put", "/v3/workflows/{workflowId}", `/v3/workflows/${wf.data.id}`, { delay: 3 });
    const gwf = await check("post", `${G}/workflows`, `${g}/workflows`, flow);
    await check("get", `${G}/workflows/{workflowId}`, `${g}/workflows/${gwf.data.id}`);
    const app = await check("patch", "/v3/applications", "/v3/applications", { branding: { name: "x" } });
    const keys = "/v3/admin/applications/{applicationId}/api-keys";
    const k = `/v3/admin/applications/${app.data.application_id}/api-keys`;
    const key = await check("post", keys, k, { name: "k", expires_in: 2 });
    await check("get", keys, k);
    await check("get", `${keys}/{apiKeyId}`, `${k}/${key.data.id}`);
    await check("delete", `${keys}/{apiKeyId}`, `${k}/${key.data.id}`);
    await check("post", "/v3/connectors", "/v3/connectors", { provider: "nylas" });
    await check("patch", "/v3/connectors/{provider}", "/v3/connectors/nylas", { settings: { a: 1 } });
    await check("put", "/v3/connectors/{provider}", "/v3/connectors/nylas", { scope: ["x"] });
    await check("delete", "/v3/connectors/{provider}", "/v3/connectors/nylas");
    const hook = await api(t, "GET", "/v3/webhooks");
    for (const w of (hook.body as any).data) {
      await check("get", "/v3/webhooks/{id}/deliveries", `/v3/webhooks/${w.id}/deliveries`);
    }
    await check("get", "/v3/admin/outbound", "/v3/admin/outbound");
    expect(failures).toEqual([]);
    // The check can fail: a template without its engine does not match.
    expect(
      validator("get", "/v3/templates/{templateId}", "200")({ request_id: "x", data: { id: "t" } }).length,
    ).toBeGreaterThan(0);
  });

  // Calendars (issue 15): every calendar route's live answer against its operation.
  test("calendar routes: calendars, events, free/busy, availability", async () => {
    const grant = await createAccount(t);
    const G = "/v3/grants/{grantId}";
    const g = `/v3/grants/${grant.id}`;
    const check = async (method: string, template: string, url: string, body?: unknown) => {
      const res = await api(t, method, url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(res.body)}`).toBe(200);
      expect(validator(method.toLowerCase(), template, "200")(res.body), `${method} ${url}`).toEqual([]);
      return res.body as any;
    };
    const calendar = await check("POST", `${G}/calendars`, `${g}/calendars`, {
      name: "Schema check",
      timezone: "Europe/Paris",
      metadata: { k: "v" },
    });
    const c = `${g}/calendars/${calendar.data.id}`;
    await check("GET", `${G}/calendars`, `${g}/calendars`);
    await check("GET", `${G}/calendars/{calendarId}`, c);
    await check("PUT", `${G}/calendars/{calendarId}`, c, { description: "checked" });
    const start = Math.floor(Date.now() / 1000 / 3600) * 3600 + 86_400;
    const q = `calendar_id=${calendar.data.id}&notify_participants=false`;
    const shapes = [
      { time: start, timezone: "UTC" },
      {
        start_time: start,
        end_time: start + 3600,
        start_timezone: "Europe/Paris",
        end_timezone: "Europe/Paris",
      },
      { date: "2030-01-02" },
      { start_date: "2030-01-02", end_date: "2030-01-04" },
    ];
    const events = [];
    for (const when of shapes)
      events.push(
        await check("POST", `${G}/events`, `${g}/events?${q}`, {
          title: "Schema check",
          when,
          participants: [{ email: grant.email }, { email: "guest@example.com", name: "Guest" }],
        }),
      );
    await check("POST", `${G}/events`, `${g}/events?${q}`, {
      title: "Weekly",
      when: { start_time: start, end_time: start + 1800 },
      recurrence: ["RRULE:FREQ=WEEKLY;COUNT=3"],
    });
    const eventPath = `${g}/events/${events[0].data.id}`;
    const e = `${eventPath}?${q}`;
    await check("GET", `${G}/events`, `${g}/events?${q}`);
    await check("GET", `${G}/events/import`, `${g}/events/import?${q}`);
    await check("GET", `${G}/events/{eventId}`, e);
    await check("PUT", `${G}/events/{eventId}`, e, { title: "Schema check (2)" });
    await check(
      "POST",
      `${G}/events/{eventId}/send-rsvp`,
      `${eventPath}/send-rsvp?${q}&skip_nylas_email=true`,
      { status: "yes" },
    );
    await check("DELETE", `${G}/events/{eventId}`, e);
    await check("POST", `${G}/calendars/free-busy`, `${g}/calendars/free-busy`, {
      start_time: start - 3600,
      end_time: start + 7200,
      emails: [grant.email, "outside@example.com"],
    });
    await check("POST", "/v3/calendars/availability", "/v3/calendars/availability", {
      start_time: start,
      end_time: start + 4 * 3600,
      duration_minutes: 30,
      participants: [{ email: grant.email }],
    });
    await check("DELETE", `${G}/calendars/{calendarId}`, c);
    // The check can fail: an event without its when does not match.
    const whenless = { request_id: "x", data: { ...events[0].data, when: undefined } };
    expect(validator("get", `${G}/events/{eventId}`, "200")(whenless).length).toBeGreaterThan(0);
  });

  // Guardrails (issue 14).
  test("guardrails: lists and items, rules, evaluate, policies, workspaces, rule evaluations, hold and release", async () => {
    const failures: string[] = [];
    const check = async (method: string, template: string, url: string, body?: unknown) => {
      const res = await api(t, method.toUpperCase(), url, body);
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      for (const e of validator(method, template, String(res.status))(res.body))
        failures.push(`${method} ${url} ${e}`);
      return res.body as any;
    };
    const list = await check("post", "/v3/lists", "/v3/lists", { name: "blocked", type: "domain" });
    const l = `/v3/lists/${list.data.id}`;
    await check("get", "/v3/lists", "/v3/lists");
    await check("get", "/v3/lists/{id}", l);
    await check("put", "/v3/lists/{id}", l, { name: "blocked domains" });
    await check("post", "/v3/lists/{id}/items", `${l}/items`, { items: ["spam.example", "junk.example"] });
    await check("get", "/v3/lists/{id}/items", `${l}/items`);
    await check("delete", "/v3/lists/{id}/items", `${l}/items`, { items: ["junk.example"] });
    const hold = await check("post", "/v3/rules", "/v3/rules", {
      name: "review external mail",
      description: "a person reads it first",
      trigger: "outbound",
      match: { conditions: [{ field: "recipient.domain", operator: "is", value: "external.example" }] },
      actions: [{ type: "hold_for_review" }],
    });
    const block = await check("post", "/v3/rules", "/v3/rules", {
      name: "block listed senders",
      trigger: "inbound",
      match: { conditions: [{ field: "from.domain", operator: "in_list", value: [list.data.id] }] },
      actions: [{ type: "block" }],
    });
    const r = `/v3/rules/${block.data.id}`;
    await check("get", "/v3/rules", "/v3/rules");
    await check("get", "/v3/rules/{id}", r);
    await check("put", "/v3/rules/{id}", r, { priority: 5 });
    const dry = await check("post", "/v3/rules/evaluate", "/v3/rules/evaluate", {
      trigger: "inbound",
      message: { from: "a@spam.example", to: ["b@c.example"] },
    });
    expect(dry.data.matched_rule_ids).toContain(block.data.id);
    const policy = await check("post", "/v3/policies", "/v3/policies", {
      name: "review",
      rules: [hold.data.id],
    });
    const p = `/v3/policies/${policy.data.id}`;
    await check("get", "/v3/policies", "/v3/policies");
    await check("get", "/v3/policies/{id}", p);
    await check("put", "/v3/policies/{id}", p, { name: "review outbound" });
    const domain = uniqueDomain("guardrails");
    const ws = await check("post", "/v3/workspaces", "/v3/workspaces", {
      name: "ws",
      domain,
      auto_group: false,
    });
    const w = `/v3/workspaces/${ws.data.workspace_id}`;
    await check("get", "/v3/workspaces", "/v3/workspaces");
    await check("get", "/v3/workspaces/{id}", w);
    await check("patch", "/v3/workspaces/{id}", w, { policy_id: policy.data.id });
    const job = await check("post", "/v3/workspaces/auto-group", "/v3/workspaces/auto-group", {});
    await check("get", "/v3/workspaces/auto-group/{job_id}", `/v3/workspaces/auto-group/${job.data.job_id}`);
    const grant = await createAccount(t, { email: uniqueEmail("guardrails"), policy_id: policy.data.id });
    await check("post", "/v3/workspaces/{id}/manual-assign", `${w}/manual-assign`, {
      assign_grants: [grant.id],
    });
    const G = "/v3/grants/{grantId}";
    const g = `/v3/grants/${grant.id}`;
    const held = await check("post", `${G}/messages/send`, `${g}/messages/send`, {
      to: [{ email: "ceo@external.example" }],
      subject: "please check",
      body: "x",
    });
    await check("get", `${G}/rule-evaluations`, `${g}/rule-evaluations`);
    await check("post", `${G}/messages/{messageId}/release`, `${g}/messages/${held.data.id}/release`);
    await check("post", "/v3/workspaces/{id}/manual-assign", `${w}/manual-assign`, {
      remove_grants: [grant.id],
    });
    await check("delete", "/v3/workspaces/{id}", w);
    await check("delete", "/v3/policies/{id}", p);
    await check("delete", "/v3/rules/{id}", r);
    await check("delete", "/v3/lists/{id}", l);
    expect(failures).toEqual([]);
    // The check can fail: a workspace without its id does not match.
    expect(
      validator("get", "/v3/workspaces/{id}", "200")({ request_id: "x", data: { name: "w" } }).length,
    ).toBeGreaterThan(0);
  });
});
