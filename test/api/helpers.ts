import { expect } from "bun:test";
import { api, type TestServer } from "../support/server.ts";

/** Small helpers shared by the provisioning API suites (test/api/*.test.ts, test/sdk/*.test.ts). */

export type Reply = Awaited<ReturnType<typeof api>>;
type Target = Pick<TestServer, "url" | "apiKey">;

/** AGENTBOX_TRIAL_DOMAIN's default: verified without DNS. */
export const TRIAL = "agents.localhost";
/** Satisfies every app password rule (21 characters). */
export const PASSWORD = "MySecureP4ssword2024x";
export const OTHER_PASSWORD = "An0therSecurePassw0rd";

let serial = 0;
/** A fresh address per call, so tests of one file never collide. */
export function uniqueEmail(prefix = "agent", domain = TRIAL): string {
  serial += 1;
  return `${prefix}-${serial}-${crypto.randomUUID().slice(0, 8)}@${domain}`;
}

export function uniqueDomain(prefix = "d"): string {
  serial += 1;
  return `${prefix}${serial}-${crypto.randomUUID().slice(0, 8)}.example.test`;
}

/** POST /v3/connect/custom with provider "nylas"; `extra` adds top-level fields (name, …). */
export function connect(
  t: Target,
  settings: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  key?: string,
): Promise<Reply> {
  return api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings, ...extra }, key);
}

/** Creates an account and insists on 201; returns the grant object. */
export async function createAccount(
  t: Target,
  settings: Record<string, unknown> = { email: uniqueEmail() },
  extra: Record<string, unknown> = {},
  key?: string,
): Promise<Record<string, any>> {
  const res = await connect(t, settings, extra, key);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

/** A second application and an API key of it, made with the operator key. */
export async function createApplication(t: Target, name = "second app") {
  const app = await api(t, "POST", "/v3/admin/applications", { name });
  expect(app.status, JSON.stringify(app.body)).toBe(200);
  const applicationId: string = app.body.data.id;
  const key = await api(t, "POST", "/v3/admin/api-keys", { application_id: applicationId, name: "k" });
  expect(key.status, JSON.stringify(key.body)).toBe(200);
  return { applicationId, key: key.body.data.api_key as string, keyId: key.body.data.id as string };
}

/** The Nylas error envelope: status, error.type, a message containing `parts`, and the request id twice. */
export function expectError(res: Reply, status: number, type: string, ...parts: string[]): void {
  const context = JSON.stringify(res.body);
  expect(res.status, context).toBe(status);
  expect(res.body.error?.type, context).toBe(type);
  expect(typeof res.body.error?.message, context).toBe("string");
  for (const part of parts) expect(res.body.error.message, context).toContain(part);
  expectRequestId(res);
}

/** `x-request-id` is present and equals the body's request_id. */
export function expectRequestId(res: Reply): void {
  const header = res.headers.get("x-request-id");
  expect(header).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body.request_id).toBe(header);
}

/** Every DELETE: 200 with exactly `{request_id}`. */
export function expectDeleted(res: Reply): void {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(Object.keys(res.body)).toEqual(["request_id"]);
  expectRequestId(res);
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A policy of the key's application (the operator's by default); returns its id. */
export async function createPolicy(t: Target, name = "policy", key?: string): Promise<string> {
  const res = await api(t, "POST", "/v3/policies", { name }, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.id;
}
