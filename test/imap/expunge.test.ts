import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("EXPUNGE", () => {
  test("nothing \\Deleted: nothing happens", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    expect(await c.transact("a1 EXPUNGE")).toEqual({ untagged: [], tagged: "a1 OK EXPUNGE completed" });
    expect((await c.transact("a2 EXPUNGE 1")).tagged).toBe(
      "a2 BAD EXPUNGE: unexpected extra arguments to EXPUNGE",
    );
  });

  test("outside Trash: the messages move to Trash (\\Deleted cleared), the API sees them there", async () => {
    const { email, grantId } = await f.account();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await deliver(f, grantId, message({ subject: `m${i}` }))).id);
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    await c.ok("a1 STORE 2,4 +FLAGS.SILENT (\\Deleted)");
    expect(await c.transact("a2 EXPUNGE")).toEqual({
      untagged: ["* 2 EXPUNGE", "* 3 EXPUNGE"],
      tagged: "a2 OK EXPUNGE completed",
    });
    const moved = await api(f.t, "GET", `/v3/grants/${grantId}/messages/${ids[1]}`);
    expect(moved.body.data.folders).toEqual(["trash"]);
    expect(await c.ok("a3 EXAMINE Trash")).toContain("* 2 EXISTS");
    expect(await c.ok("a4 FETCH 1:2 FLAGS")).toEqual([
      "* 1 FETCH (FLAGS (\\Recent))",
      "* 2 FETCH (FLAGS (\\Recent))",
    ]);
  });

  test("in Trash: deleted for good (message.deleted; the API 404s)", async () => {
    const { email, grantId } = await f.account();
    const { id } = await deliver(f, grantId, message(), "trash");
    const c = await f.client(email);
    await c.ok("a SELECT Trash");
    await c.ok("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
    expect(await c.transact("a2 EXPUNGE")).toEqual({
      untagged: ["* 1 EXPUNGE"],
      tagged: "a2 OK EXPUNGE completed",
    });
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${id}`)).status).toBe(404);
  });

  test("COPY to Trash then EXPUNGE leaves one copy in Trash (Message-ID already there)", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message({ messageId: "<one-copy@example.com>" }));
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    await c.ok("a1 COPY 1 Trash");
    await c.ok("a2 STORE 1 +FLAGS.SILENT (\\Deleted)");
    expect((await c.transact("a3 EXPUNGE")).untagged).toEqual(["* 1 EXPUNGE"]);
    const list = await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=trash`);
    expect(list.body.data).toHaveLength(1);
    const all = await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=inbox`);
    expect(all.body.data).toHaveLength(0);
  });

  test("UID EXPUNGE removes only the named \\Deleted messages", async () => {
    const { email, grantId } = await f.account();
    for (let i = 0; i < 3; i++) await deliver(f, grantId, message(), "inbox", { deleted: true });
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    expect(await c.transact("a1 UID EXPUNGE 2:3")).toEqual({
      untagged: ["* 2 EXPUNGE", "* 2 EXPUNGE"],
      tagged: "a1 OK UID EXPUNGE completed",
    });
    expect(await c.ok("a2 UID FETCH 1:* FLAGS")).toEqual(["* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))"]);
  });

  test("in Drafts: deleted (clients re-save drafts as new messages)", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message(), "drafts", { draft: true });
    const c = await f.client(email);
    await c.ok("a SELECT Drafts");
    await c.ok("a1 STORE 1 +FLAGS.SILENT (\\Deleted)");
    await c.ok("a2 EXPUNGE");
    expect(await c.ok("a3 STATUS Trash (MESSAGES)")).toEqual(['* STATUS "Trash" (MESSAGES 0)']);
  });
});
