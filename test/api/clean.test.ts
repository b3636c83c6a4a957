import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Nylas, { NylasApiError } from "nylas";
import { ingest } from "../fixtures/mail.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";
import { createAccount, createApplication, expectError } from "./helpers.ts";

/** PUT /v3/grants/{id}/messages/clean, through the official SDK and over plain HTTP. */

let t: TestServer;
let nylas: Nylas;
let grantId: string;
const ids: Record<string, string> = {};
const FIXTURES = join(import.meta.dir, "../fixtures/clean");
const expected = (name: string, ext = "txt") =>
  readFileSync(join(FIXTURES, `${name}.${ext}`), "utf8").trimEnd();

beforeAll(async () => {
  t = await startTestServer();
  nylas = new Nylas({ apiKey: t.apiKey, apiUri: t.url });
  grantId = (await createAccount(t)).id;
  for (const name of [
    "gmail-reply",
    "outlook-web-reply",
    "apple-mail-reply",
    "thunderbird-reply",
    "newsletter-table",
  ]) {
    ids[name] = (await ingest(t, grantId, readFileSync(join(FIXTURES, `${name}.eml`)))).id;
  }
});
afterAll(() => t.stop());

const clean = (body: unknown, grant = grantId, key?: string) =>
  api(t, "PUT", `/v3/grants/${grant}/messages/clean`, body, key);

describe("the SDK's messages.cleanMessages", () => {
  test("answers each message with its conversation, in the order asked", async () => {
    const names = ["thunderbird-reply", "gmail-reply", "outlook-web-reply", "apple-mail-reply"];
    const res = await nylas.messages.cleanMessages({
      identifier: grantId,
      requestBody: { messageId: names.map((n) => ids[n] as string) },
    });
    expect(res.data.map((m) => m.id)).toEqual(names.map((n) => ids[n] as string));
    expect(res.data.map((m) => m.conversation)).toEqual(names.map((n) => expected(n)));
    expect(res.data[0]).toMatchObject({ object: "message", grantId, subject: "Re: Release checklist" });
    expect(res.data[0]?.body).toContain("moz-cite-prefix");
  });

  test("options: Markdown with links, images and tables", async () => {
    const res = await nylas.messages.cleanMessages({
      identifier: grantId,
      requestBody: {
        messageId: [ids["newsletter-table"] as string, ids["gmail-reply"] as string],
        htmlAsMarkdown: true,
        imagesAsMarkdown: true,
        ignoreImages: false,
        ignoreLinks: false,
        ignoreTables: false,
        removeConclusionPhrases: false,
      },
    });
    expect(res.data.map((m) => m.conversation)).toEqual([
      expected("newsletter-table", "md"),
      expected("gmail-reply", "md"),
    ]);
  });

  test("an unknown message: 404 from the SDK", async () => {
    const err = await nylas.messages
      .cleanMessages({ identifier: grantId, requestBody: { messageId: ["nope"] } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NylasApiError);
    expect((err as NylasApiError).statusCode).toBe(404);
  });
});

describe("errors", () => {
  test("message_id missing, empty, over 20, or not strings: 400", async () => {
    expectError(await clean({}), 400, "invalid_request_error", "message_id");
    expectError(await clean({ message_id: [] }), 400, "invalid_request_error", "1 to 20");
    const many = Array.from({ length: 21 }, (_, i) => `m${i}`);
    expectError(await clean({ message_id: many }), 400, "invalid_request_error", "got 21");
    expectError(await clean({ message_id: [1] }), 400, "invalid_request_error", "message_id");
  });

  test("unknown fields, non-boolean options, and Markdown without Markdown images: 400", async () => {
    const id = ids["gmail-reply"];
    expectError(await clean({ message_id: [id], strip: true }), 400, "invalid_request_error", "strip");
    expectError(
      await clean({ message_id: [id], ignore_links: "yes" }),
      400,
      "invalid_request_error",
      "ignore_links",
    );
    expectError(
      await clean({ message_id: [id], html_as_markdown: true, images_as_markdown: false }),
      400,
      "invalid_request_error",
      "images_as_markdown",
    );
  });

  test("one unknown id among known ones: 404 naming it; another application's grant: 404", async () => {
    expectError(
      await clean({ message_id: [ids["gmail-reply"], "missing-id"] }),
      404,
      "not_found_error",
      "missing-id",
    );
    const other = await createApplication(t, "clean other");
    expectError(
      await clean({ message_id: [ids["gmail-reply"]] }, grantId, other.key),
      404,
      "not_found_error",
    );
  });
});

describe("GET /messages/{id}?fields=include_conversation", () => {
  test("the message with the same conversation; select keeps it", async () => {
    const res = await api(
      t,
      "GET",
      `/v3/grants/${grantId}/messages/${ids["outlook-web-reply"]}?fields=include_conversation`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.conversation).toBe(expected("outlook-web-reply"));
    expect(res.body.data.subject).toBe("RE: Quarterly numbers");
    const list = await api(t, "GET", `/v3/grants/${grantId}/messages?fields=include_conversation&limit=50`);
    expect(list.body.data.every((m: any) => typeof m.conversation === "string")).toBe(true);
  });
});

describe("GET /messages/wait?fields=include_conversation", () => {
  test("the message that arrives carries its conversation; another fields value is a 400", async () => {
    const waiting = api(
      t,
      "GET",
      `/v3/grants/${grantId}/messages/wait?timeout=10&subject=Dinner&fields=include_conversation`,
    );
    await Bun.sleep(150);
    await ingest(t, grantId, readFileSync(join(FIXTURES, "apple-mail-reply.eml")));
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.data[0].conversation).toBe(expected("apple-mail-reply"));
    expectError(
      await api(t, "GET", `/v3/grants/${grantId}/messages/wait?timeout=1&fields=raw_mime`),
      400,
      "invalid_request_error",
      "fields",
    );
  });
});
