import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAccount, createApplication, expectError } from "../api/helpers.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

/** /v3/admin/outbound: the application's queue by state, retry now, cancel; isolation. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(); // AGENTBOX_SMTP_QUEUE_HOLD=1: queued mail stays queued
});
afterAll(() => t.stop());

describe("the outbound queue", () => {
  test("a send to two remote recipients: two pending rows; retry keeps one waiting, cancel ends it", async () => {
    const grant = await createAccount(t);
    const sent = await api(t, "POST", `/v3/grants/${grant.id}/messages/send`, {
      to: [{ email: "a@remote.example" }, { email: "b@remote.example" }],
      subject: "queued",
      body: "hello",
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const list = await api(t, "GET", "/v3/admin/outbound?state=pending");
    const mine = list.body.data.filter((e: any) => e.grant_id === grant.id);
    expect(mine.map((e: any) => e.to).sort()).toEqual(["a@remote.example", "b@remote.example"]);
    expect(mine[0]).toMatchObject({
      object: "outbound_message",
      state: "pending",
      attempts: 0,
      message_id: sent.body.data.id,
    });

    const [first, second] = mine;
    const retried = await api(t, "POST", `/v3/admin/outbound/${first.id}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.data.state).toBe("pending");

    const cancelled = await api(t, "DELETE", `/v3/admin/outbound/${second.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ state: "bounced", last_error: "cancelled by the operator" });
    expectError(
      await api(t, "POST", `/v3/admin/outbound/${second.id}/retry`, {}),
      409,
      "conflict",
      "bounced",
    );
    expectError(await api(t, "DELETE", `/v3/admin/outbound/${second.id}`), 409, "conflict");

    const bounced = await api(t, "GET", "/v3/admin/outbound?state=bounced");
    expect(bounced.body.data.map((e: any) => e.id)).toContain(second.id);
    const paged = await api(t, "GET", "/v3/admin/outbound?limit=1");
    expect(paged.body.data).toHaveLength(1);
    const rest = await api(t, "GET", `/v3/admin/outbound?limit=1&page_token=${paged.body.next_cursor}`);
    expect(rest.body.data[0].id).not.toBe(paged.body.data[0].id);
    expectError(await api(t, "GET", "/v3/admin/outbound?state=lost"), 400, "invalid_request_error");

    const other = await createApplication(t, "outbound isolation");
    expectError(
      await api(t, "GET", `/v3/admin/outbound/${first.id}`, undefined, other.key),
      404,
      "not_found_error",
    );
    expectError(
      await api(t, "DELETE", `/v3/admin/outbound/${first.id}`, undefined, other.key),
      404,
      "not_found_error",
    );
    expect((await api(t, "GET", "/v3/admin/outbound", undefined, other.key)).body.data).toEqual([]);
  });
});
