import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { buildMail } from "../fixtures/mail.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, createApplication, expectError } from "./helpers.ts";

/** POST /v3/grants/{id}/messages/import (agentbox extension): one raw message, de-duplicated. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ AGENTBOX_MAX_MESSAGE_BYTES: String(64 * 1024) });
});
afterAll(() => t.stop());

async function post(
  grantId: string,
  body: Uint8Array | string,
  query = "",
  type = "message/rfc822",
  key = t.apiKey,
) {
  const res = await fetch(`${t.url}/v3/grants/${grantId}/messages/import${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
}

describe("import", () => {
  test("201 with the stored message; the same Message-ID again: 200, duplicate, nothing stored", async () => {
    const a = await createAccount(t);
    const raw = buildMail({ subject: "Imported", messageId: "imp-1@old.example", text: "hello" });
    const first = await post(a.id, raw, "?seen=true&flagged=true&received_at=1600000000");
    expect(first.status).toBe(201);
    expect(first.body.duplicate).toBe(false);
    expect(first.body.data).toMatchObject({
      subject: "Imported",
      unread: false,
      starred: true,
      date: 1_600_000_000,
      folders: ["inbox"],
    });
    const again = await post(a.id, raw);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, data: { id: first.body.data.id } });
    const archived = await post(a.id, raw, "?folder=archive");
    expect(archived.status).toBe(201);
    expect(archived.body.data.folders).toEqual(["archive"]);
  });

  test("errors: not message/rfc822, empty, bad flags or time, unknown folder, too big, another application", async () => {
    const a = await createAccount(t);
    const raw = buildMail({ subject: "x" });
    expectError(
      await post(a.id, raw, "", "application/json"),
      400,
      "invalid_request_error",
      "message/rfc822",
    );
    expectError(await post(a.id, ""), 400, "invalid_request_error", "empty");
    expectError(await post(a.id, raw, "?seen=maybe"), 400, "invalid_request_error", "seen");
    expectError(await post(a.id, raw, "?received_at=yesterday"), 400, "invalid_request_error", "received_at");
    expectError(await post(a.id, raw, "?folder=nope"), 404, "not_found_error");
    const big = buildMail({ subject: "big", text: "x".repeat(100 * 1024) });
    expect((await post(a.id, big)).status).toBe(413);
    const other = await createApplication(t, "import other");
    expectError(await post(a.id, raw, "", "message/rfc822", other.key), 404, "not_found_error");
  });
});
