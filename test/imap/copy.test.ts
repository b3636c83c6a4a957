import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { imapFolder } from "../../src/mailbox/imap-folders.ts";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("COPY", () => {
  test("errors: no target (TRYCREATE), bad set", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    expect((await c.transact("a1 COPY 1 Nowhere")).tagged).toBe(
      'a1 NO [TRYCREATE] Mailbox "Nowhere" does not exist',
    );
    expect((await c.transact("a2 COPY 5 Archive")).tagged).toBe("a2 BAD Invalid message sequence number");
  });

  test("independent copies with new ids and UIDs, flags kept, same bytes; COPYUID", async () => {
    const { email, grantId } = await f.account();
    const a = await deliver(f, grantId, message({ subject: "one" }), "inbox", { flagged: true });
    await deliver(f, grantId, message({ subject: "two" }));
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    const v = imapFolder(f.t.server.store, grantId, "archive")?.uidValidity;
    expect((await c.transact("a1 COPY 1:2 Archive")).tagged).toBe(
      `a1 OK [COPYUID ${v} 1:2 1:2] COPY completed`,
    );
    expect((await c.transact("a2 UID COPY 2 Archive")).tagged).toBe(
      `a2 OK [COPYUID ${v} 2 3] UID COPY completed`,
    );
    const listed = await api(f.t, "GET", `/v3/grants/${grantId}/messages?in=archive`);
    expect(listed.body.data).toHaveLength(3);
    expect(listed.body.data.every((m: any) => m.id !== a.id)).toBe(true);
    const orig = (await c.ok("a3 FETCH 1 BODY.PEEK[]"))[0]?.replace("* 1 FETCH", "");
    await c.ok("a4 SELECT Archive");
    expect((await c.ok("a5 FETCH 1 BODY.PEEK[]"))[0]?.replace("* 1 FETCH", "")).toBe(orig);
    expect(await c.ok("a6 FETCH 1 FLAGS")).toEqual(["* 1 FETCH (FLAGS (\\Flagged \\Recent))"]);
    // The original is untouched.
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/messages/${a.id}`)).body.data.folders).toEqual([
      "inbox",
    ]);
  });

  test("copy into the selected mailbox: EXISTS", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    const r = await c.transact("a1 COPY 1 INBOX");
    expect(r.untagged).toEqual(["* 2 EXISTS", "* 2 RECENT"]);
  });

  test("over the storage quota: NO [OVERQUOTA] and nothing copied", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message({ body: "x".repeat(4000) }));
    await f.t.server.store.writer.submit((tx) => {
      tx.$client.prepare("UPDATE grants SET storage_quota_bytes = 5000 WHERE id = ?").run(grantId);
    });
    await f.t.server.mailboxes.remove(grantId); // the actor reloads its quota
    const c = await f.client(email);
    await c.ok("a SELECT INBOX");
    expect((await c.transact("a1 COPY 1 Archive")).tagged).toStartWith(
      "a1 NO [OVERQUOTA] storage quota exceeded",
    );
    expect(await c.ok("a2 STATUS Archive (MESSAGES)")).toEqual(['* STATUS "Archive" (MESSAGES 0)']);
  });
});
