import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, extractFixture } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, expectError, nowSeconds } from "./helpers.ts";

/** GET /v3/grants/{id}/messages/wait (agentbox extension): a long poll for the next matching message. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const newGrant = async (): Promise<string> => (await createAccount(t)).id;
const wait = (grantId: string, query: string) =>
  api(t, "GET", `/v3/grants/${grantId}/messages/wait?${query}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a wait and lets the server subscribe before anything is delivered. */
async function startWait(grantId: string, query: string) {
  let settled = false;
  const reply = wait(grantId, query).finally(() => {
    settled = true;
  });
  await sleep(150);
  return { reply, settled: () => settled };
}

describe("errors", () => {
  test("timeout out of 1..60, a bad since or filter: 400; an unknown grant: 404", async () => {
    const grantId = await newGrant();
    for (const q of ["timeout=61", "timeout=0", "timeout=abc", "since=yesterday", "unread=perhaps"]) {
      expectError(await wait(grantId, q), 400, "invalid_request_error");
    }
    expectError(await wait(grantId, "timeout=61"), 400, "invalid_request_error", "timeout");
    expectError(await wait(crypto.randomUUID(), "timeout=1"), 404, "not_found_error");
  });
});

describe("waiting", () => {
  test("answers within moments of a matching append", async () => {
    const grantId = await newGrant();
    const w = await startWait(grantId, "timeout=10&subject=welcome");
    expect(w.settled()).toBe(false);
    const appended = await deliver(t, grantId, { subject: "Welcome aboard" });
    const started = performance.now();
    const res = await w.reply;
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.data.map((m: any) => m.id)).toEqual([appended.id]);
    expect(res.body.data[0]).toMatchObject({ object: "message", subject: "Welcome aboard", unread: true });
    expect(res.body.next_cursor).toBeNull();
    expect(elapsed).toBeLessThan(200);
  });

  test("ignores messages that do not match (subject, from)", async () => {
    const grantId = await newGrant();
    const w = await startWait(grantId, "timeout=10&subject=code&from=noreply@service.example");
    await deliver(t, grantId, { subject: "Your code", from: "someone@else.example" });
    await deliver(t, grantId, { subject: "Newsletter", from: "noreply@service.example" });
    await deliver(
      t,
      grantId,
      { subject: "Your code", from: "noreply@service.example" },
      { folderId: "drafts" },
    );
    await sleep(300);
    expect(w.settled()).toBe(false);
    const match = await deliver(t, grantId, {
      subject: "Your code is ready",
      from: "noreply@service.example",
    });
    const res = await w.reply;
    expect(res.body.data.map((m: any) => m.id)).toEqual([match.id]);
  });

  test("a message moved into a matching folder counts", async () => {
    const grantId = await newGrant();
    const junk = await deliver(t, grantId, { subject: "Misfiled" }, { folderId: "junk" });
    const w = await startWait(grantId, "timeout=10&in=inbox");
    const moved = await api(t, "PUT", `/v3/grants/${grantId}/messages/${junk.id}`, { folders: ["inbox"] });
    expect(moved.status).toBe(200);
    const res = await w.reply;
    expect(res.body.data.map((m: any) => [m.id, m.folders])).toEqual([[junk.id, ["inbox"]]]);
  });

  test("at the timeout: 200 with data []", async () => {
    const grantId = await newGrant();
    const started = performance.now();
    const res = await wait(grantId, "timeout=1");
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
  });

  test("without since, a message that was there before the request never answers it", async () => {
    const grantId = await newGrant();
    await deliver(t, grantId, { subject: "Already here" });
    const res = await wait(grantId, "timeout=1&subject=already");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  test("since in the past answers at once with a matching message already there", async () => {
    const grantId = await newGrant();
    const since = nowSeconds() - 60;
    await deliver(t, grantId, { subject: "Too old" }, { internalDate: since - 10 });
    const present = await deliver(t, grantId, { subject: "Fresh enough" }, { internalDate: since + 5 });
    await deliver(t, grantId, { subject: "Other" }, { internalDate: since + 6 });
    const started = performance.now();
    const res = await wait(grantId, `timeout=10&since=${since}&subject=fresh`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(res.body.data.map((m: any) => m.id)).toEqual([present.id]);
    const none = await wait(grantId, `timeout=1&since=${since}&subject=too%20old`);
    expect(none.body.data).toEqual([]);
  });
});

describe("extracted codes and links", () => {
  for (const name of ["03-notion-signup-both", "01-github-launch-code", "05-slack-magic-link-only"]) {
    test(`${name}: the waited-for message carries them`, async () => {
      const grantId = await newGrant();
      const fixture = extractFixture(name);
      const w = await startWait(grantId, "timeout=10");
      const { id } = await deliver(t, grantId, {
        ...fixture.spec,
        from: "Service <noreply@service.example>",
      });
      const res = await w.reply;
      expect(res.body.data.map((m: any) => m.id)).toEqual([id]);
      expect(res.body.data[0].extracted.codes).toEqual(fixture.expected.codes);
      expect(res.body.data[0].extracted).toEqual(fixture.expected);
      const again = await api(t, "GET", `/v3/grants/${grantId}/messages/${id}`);
      expect(again.body.data.extracted).toEqual(fixture.expected);
    });
  }
});
