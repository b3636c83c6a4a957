import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createApplication, expectDeleted, expectError } from "./helpers.ts";
import { account, call, expectOk, folderMessages, sendJson } from "./send-helpers.ts";

/** Templates and workflows, at the application level and a grant's; render; `template` on send. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const WELCOME = {
  name: "Welcome",
  subject: "Welcome, {{name}}",
  body: "<p>Hello {{name}}, from {{company}}</p>",
};

describe("application templates", () => {
  test("create (mustache by default), get, list, update, render, delete", async () => {
    const created = expectOk(await call(t, "POST", "/v3/templates", { json: WELCOME }));
    expect(created).toMatchObject({ object: "template", engine: "mustache", ...WELCOME });
    expect(created.app_id).toEqual(expect.any(String));
    expect("grant_id" in created).toBe(false);
    expect(expectOk(await call(t, "GET", `/v3/templates/${created.id}`))).toEqual(created);
    const listed = await call(t, "GET", "/v3/templates");
    expect(listed.body.data.map((x: any) => x.id)).toContain(created.id);
    expect(listed.body.next_cursor).toBe("");
    const updated = expectOk(
      await call(t, "PUT", `/v3/templates/${created.id}`, { json: { engine: "handlebars" } }),
    );
    expect(updated).toMatchObject({ engine: "handlebars", subject: WELCOME.subject });
    const rendered = expectOk(
      await call(t, "POST", `/v3/templates/${created.id}/render`, {
        json: { variables: { name: "Ann & Bo", company: "Acme" } },
      }),
    );
    expect(rendered).toEqual({
      subject: "Welcome, Ann & Bo",
      body: "<p>Hello Ann &amp; Bo, from Acme</p>",
    });
    expectDeleted(await call(t, "DELETE", `/v3/templates/${created.id}`));
    expectError(await call(t, "GET", `/v3/templates/${created.id}`), 404, "not_found_error");
  });

  test("render a body as given; strict by default, not when asked", async () => {
    const html = await call(t, "POST", "/v3/templates/render", {
      json: {
        body: "{% if vip %}Dear {{ name }}{% else %}Hi{% endif %}",
        engine: "twig",
        variables: { name: "A", vip: "y" },
      },
    });
    expect(expectOk(html)).toEqual({ body: "Dear A" });
    expectError(
      await call(t, "POST", "/v3/templates/render", {
        json: { body: "{{x}}", engine: "mustache", variables: {} },
      }),
      400,
      "invalid_request_error",
      "variables missing: x",
    );
    const loose = await call(t, "POST", "/v3/templates/render", {
      json: { body: "[{{x}}]", engine: "mustache", variables: {}, strict: false },
    });
    expect(expectOk(loose)).toEqual({ body: "[]" });
  });

  test("a template this server cannot render is refused when saved; a bad engine too", async () => {
    expectError(
      await call(t, "POST", "/v3/templates", {
        json: { ...WELCOME, body: "{{#each xs}}{{/each}}", engine: "handlebars" },
      }),
      400,
      "invalid_request_error",
      "each",
    );
    expectError(
      await call(t, "POST", "/v3/templates", { json: { ...WELCOME, engine: "jinja" } }),
      400,
      "invalid_request_error",
      "engine",
    );
    expectError(
      await call(t, "POST", "/v3/templates", { json: { name: "x" } }),
      400,
      "invalid_request_error",
    );
  });

  test("another application's template is a 404; a grant's template is not in the application's list", async () => {
    const mine = expectOk(await call(t, "POST", "/v3/templates", { json: WELCOME }));
    const other = await createApplication(t, "tpl app");
    expect((await api(t, "GET", `/v3/templates/${mine.id}`, undefined, other.key)).status).toBe(404);
    expect((await api(t, "DELETE", `/v3/templates/${mine.id}`, undefined, other.key)).status).toBe(404);
    const a = await account(t, "tpl-scope");
    const grants = expectOk(await call(t, "POST", `/v3/grants/${a.id}/templates`, { json: WELCOME }));
    expect(grants.grant_id).toBe(a.id);
    const appList = (await call(t, "GET", "/v3/templates?limit=200")).body.data.map((x: any) => x.id);
    expect(appList).not.toContain(grants.id);
    expectError(await call(t, "GET", `/v3/templates/${grants.id}`), 404, "not_found_error");
    const b = await account(t, "tpl-other");
    expectError(await call(t, "GET", `/v3/grants/${b.id}/templates/${grants.id}`), 404, "not_found_error");
  });
});

describe("template on send", () => {
  test("the template gives subject and body; the request's own subject wins; variables are escaped", async () => {
    const a = await account(t, "tpl-send");
    const b = await account(t, "tpl-rcpt");
    const tpl = expectOk(await call(t, "POST", `/v3/grants/${a.id}/templates`, { json: WELCOME }));
    const sent = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: b.email }],
        template: { id: tpl.id, variables: { name: "<Bo>", company: "Acme" } },
      }),
    );
    expect(sent.subject).toBe("Welcome, <Bo>");
    expect(sent.body).toContain("Hello &lt;Bo&gt;, from Acme");
    const own = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: b.email }],
        subject: "My own subject",
        template: { id: tpl.id, variables: { name: "Bo", company: "Acme" } },
      }),
    );
    expect(own.subject).toBe("My own subject");
    expect(own.body).toContain("Hello Bo");
    expect((await folderMessages(t, b.id, "inbox")).map((m) => m.subject)).toContain("My own subject");
  });

  test("an application template works for any of its grants; missing variables are a 400, unknown ids a 404", async () => {
    const a = await account(t, "tpl-app");
    const tpl = expectOk(await call(t, "POST", "/v3/templates", { json: WELCOME }));
    const ok = await sendJson(t, a.id, {
      to: [{ email: "x@example.com" }],
      template: { id: tpl.id, variables: { name: "Z", company: "Q" } },
    });
    expect(expectOk(ok).subject).toBe("Welcome, Z");
    expectError(
      await sendJson(t, a.id, {
        to: [{ email: "x@example.com" }],
        template: { id: tpl.id, variables: { name: "Z" } },
      }),
      400,
      "invalid_request_error",
      "company",
    );
    const loose = await sendJson(t, a.id, {
      to: [{ email: "x@example.com" }],
      template: { id: tpl.id, variables: { name: "Z" }, strict: false },
    });
    expect(expectOk(loose).body).toContain("from </p>");
    expectError(
      await sendJson(t, a.id, { to: [{ email: "x@example.com" }], template: { id: "nope" } }),
      404,
      "not_found_error",
      "template nope",
    );
  });
});

describe("workflows", () => {
  test("create with a template of its scope, get, list, update, delete; booking triggers only", async () => {
    const tpl = expectOk(await call(t, "POST", "/v3/templates", { json: WELCOME }));
    const wf = expectOk(
      await call(t, "POST", "/v3/workflows", {
        json: { name: "Confirm", template_id: tpl.id, trigger_event: "booking.created" },
      }),
    );
    expect(wf).toMatchObject({ name: "Confirm", template_id: tpl.id, delay: 0, is_enabled: true });
    expect(wf.date_created).toEqual(expect.any(Number));
    expect(expectOk(await call(t, "GET", `/v3/workflows/${wf.id}`))).toEqual(wf);
    expect((await call(t, "GET", "/v3/workflows")).body.data.map((x: any) => x.id)).toContain(wf.id);
    const updated = expectOk(
      await call(t, "PUT", `/v3/workflows/${wf.id}`, {
        json: { delay: 30, from: { email: "a@example.com" } },
      }),
    );
    expect(updated).toMatchObject({ delay: 30, from: { email: "a@example.com" } });
    expectError(
      await call(t, "POST", "/v3/workflows", {
        json: { name: "x", template_id: tpl.id, trigger_event: "message.created" },
      }),
      400,
      "invalid_request_error",
      "trigger_event",
    );
    expectError(
      await call(t, "POST", "/v3/workflows", {
        json: { name: "x", template_id: "nope", trigger_event: "booking.created" },
      }),
      404,
      "not_found_error",
      "template nope",
    );
    expectDeleted(await call(t, "DELETE", `/v3/workflows/${wf.id}`));
    expectError(await call(t, "GET", `/v3/workflows/${wf.id}`), 404, "not_found_error");
  });

  test("a grant's workflow may use its own template or its application's, not another grant's", async () => {
    const a = await account(t, "wf-a");
    const b = await account(t, "wf-b");
    const theirs = expectOk(await call(t, "POST", `/v3/grants/${b.id}/templates`, { json: WELCOME }));
    const app = expectOk(await call(t, "POST", "/v3/templates", { json: WELCOME }));
    const body = (template_id: string) => ({
      json: { name: "w", template_id, trigger_event: "booking.reminder" },
    });
    expect((await call(t, "POST", `/v3/grants/${a.id}/workflows`, body(app.id))).status).toBe(200);
    expectError(
      await call(t, "POST", `/v3/grants/${a.id}/workflows`, body(theirs.id)),
      404,
      "not_found_error",
    );
    const listed = (await call(t, "GET", `/v3/grants/${a.id}/workflows`)).body;
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0].grant_id).toBe(a.id);
  });
});
