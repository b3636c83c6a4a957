import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, createApplication, expectDeleted, expectError } from "./helpers.ts";
import { type Account, account, call, expectOk, folderMessages, rawOf, sendJson } from "./send-helpers.ts";

/** /v3/grants/{id}/signatures, and `signature_id` on sends and drafts (Nylas appends it to the body). */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const signatures = (grantId: string, id = "") =>
  `/v3/grants/${grantId}/signatures${id ? `/${encodeURIComponent(id)}` : ""}`;

async function signature(a: Account, body = "<p>-- <br>Ann, Acme</p>") {
  return expectOk(await call(t, "POST", signatures(a.id), { json: { name: "Work", body } }), 201);
}

describe("CRUD", () => {
  test("create (201), get, list in order with paging, update, delete", async () => {
    const a = await account(t, "sig");
    const first = await signature(a);
    expect(first).toMatchObject({
      object: "signature",
      grant_id: a.id,
      name: "Work",
      body: "<p>-- <br>Ann, Acme</p>",
    });
    const second = await signature(a, "<p>Mobile</p>");
    expect(expectOk(await call(t, "GET", signatures(a.id, first.id)))).toEqual(first);
    const page1 = await call(t, "GET", `${signatures(a.id)}?limit=1`);
    expect(page1.body.data.map((x: any) => x.id)).toEqual([first.id]);
    const page2 = await call(t, "GET", `${signatures(a.id)}?limit=1&page_token=${page1.body.next_cursor}`);
    expect(page2.body.data.map((x: any) => x.id)).toEqual([second.id]);
    expect(page2.body.next_cursor).toBeNull();
    const renamed = expectOk(await call(t, "PUT", signatures(a.id, first.id), { json: { name: "Office" } }));
    expect(renamed).toMatchObject({ name: "Office", body: first.body });
    expectDeleted(await call(t, "DELETE", signatures(a.id, first.id)));
    expectError(await call(t, "GET", signatures(a.id, first.id)), 404, "not_found_error");
  });

  test("validation: name and body required, body ≤ 100 KB, unknown fields", async () => {
    const a = await account(t, "sig-bad");
    expectError(
      await call(t, "POST", signatures(a.id), { json: { name: "x" } }),
      400,
      "invalid_request_error",
      "body",
    );
    const big = "x".repeat(100 * 1024 + 1);
    expectError(
      await call(t, "POST", signatures(a.id), { json: { name: "x", body: big } }),
      400,
      "invalid_request_error",
    );
    expectError(
      await call(t, "POST", signatures(a.id), { json: { name: "x", body: "y", html: true } }),
      400,
      "invalid_request_error",
      "html",
    );
  });

  test("another grant's or another application's signature is a 404", async () => {
    const a = await account(t, "sig-own");
    const b = await account(t, "sig-other");
    const mine = await signature(a);
    expectError(await call(t, "GET", signatures(b.id, mine.id)), 404, "not_found_error");
    expectError(await call(t, "DELETE", signatures(b.id, mine.id)), 404, "not_found_error");
    const other = await createApplication(t, "sig app");
    const res = await fetch(`${t.url}${signatures(a.id)}`, {
      headers: { authorization: `Bearer ${other.key}` },
    });
    expect(res.status).toBe(404);
    expect((await call(t, "GET", signatures(a.id, mine.id))).status).toBe(200);
  });
});

describe("signature_id", () => {
  test("a send appends the signature after the body (HTML), and the text part has it too", async () => {
    const a = await account(t, "sig-send");
    const b = await account(t, "sig-rcpt");
    const sig = await signature(a);
    const sent = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: b.email }],
        subject: "signed",
        body: "<p>Hello</p>",
        signature_id: sig.id,
      }),
    );
    expect(sent.body).toContain("<p>Hello</p><br><br><p>-- <br>Ann, Acme</p>");
    const got = (await folderMessages(t, b.id, "inbox")).find((m) => m.subject === "signed");
    expect(got?.body).toContain("Ann, Acme");
    expect((await rawOf(t, b.id, got?.id)).toString()).toContain("Ann, Acme");
  });

  test("a plain-text send gets the signature's text", async () => {
    const a = await account(t, "sig-plain");
    const sig = await signature(a, "<p>Ann &amp; co</p>");
    const sent = expectOk(
      await sendJson(t, a.id, {
        to: [{ email: "x@example.com" }],
        body: "Hi",
        is_plaintext: true,
        signature_id: sig.id,
      }),
    );
    const raw = (await rawOf(t, a.id, sent.id)).toString();
    expect(raw).toContain("Hi\r\n\r\nAnn & co");
    expect(raw).not.toContain("<p>");
  });

  test("an unknown signature is a 404 and nothing is sent", async () => {
    const a = await account(t, "sig-404");
    expectError(
      await sendJson(t, a.id, { to: [{ email: "x@example.com" }], body: "Hi", signature_id: "nope" }),
      404,
      "not_found_error",
      "signature nope",
    );
    expect(await folderMessages(t, a.id, "sent")).toEqual([]);
  });

  test("drafts: on create, on a PUT that names one, and when sent with {signature_id}", async () => {
    const grant = await createAccount(t);
    const a = { id: grant.id, email: grant.email };
    const sig = await signature(a, "<p>SIG</p>");
    const draft = expectOk(
      await call(t, "POST", `/v3/grants/${a.id}/drafts`, {
        json: { body: "<p>one</p>", signature_id: sig.id },
      }),
    );
    expect(draft.body).toContain("<p>one</p><br><br><p>SIG</p>");
    const put = expectOk(
      await call(t, "PUT", `/v3/grants/${a.id}/drafts/${draft.id}`, { json: { subject: "no body change" } }),
    );
    expect(put.body.match(/SIG/g)).toHaveLength(1);
    const plain = expectOk(
      await call(t, "POST", `/v3/grants/${a.id}/drafts`, {
        json: { to: [{ email: "x@example.com" }], body: "<p>two</p>" },
      }),
    );
    const sent = expectOk(
      await call(t, "POST", `/v3/grants/${a.id}/drafts/${plain.id}`, { json: { signature_id: sig.id } }),
    );
    expect(sent.body).toContain("<p>two</p><br><br><p>SIG</p>");
    expectError(
      await call(t, "POST", `/v3/grants/${a.id}/drafts/${plain.id}`, { json: { tracking: true } }),
      400,
      "invalid_request_error",
    );
  });
});
