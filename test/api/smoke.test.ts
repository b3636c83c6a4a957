import { afterAll, beforeAll, expect, test } from "bun:test";
import { api, startTestServer, type TestServer } from "../support/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

test("healthz is ready and an account can be created on the trial domain", async () => {
  expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  const res = await api(t, "POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: "smoke@agents.localhost" },
  });
  expect(res.status).toBe(201);
  expect(res.body.data.email).toBe("smoke@agents.localhost");
  expect(res.headers.get("x-request-id")).toBe(res.body.request_id);
});
