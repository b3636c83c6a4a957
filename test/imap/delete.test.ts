import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("DELETE", () => {
  test("errors: missing, INBOX, system folders, subfolders first", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE P/C");
    expect((await c.transact("a1 DELETE Nope")).tagged).toBe(
      'a1 NO [NONEXISTENT] mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 DELETE INBOX")).tagged).toBe("a2 NO [CANNOT] INBOX cannot be deleted");
    expect((await c.transact("a3 DELETE Trash")).tagged).toBe(
      "a3 NO [CANNOT] Trash is a system folder: it cannot be deleted",
    );
    expect((await c.transact("a4 DELETE P")).tagged).toBe(
      "a4 NO [INUSE] P has subfolders; delete or move them first",
    );
  });

  test("a custom folder goes with its messages; the API no longer lists it", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Temp");
    const folder = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data.find(
      (x: any) => x.name === "Temp",
    );
    await f.t.server.mailboxes.ask(grantId, "append", { folderId: folder.id, raw: Buffer.from(message()) });
    await c.ok("a1 SELECT Temp");
    expect((await c.transact("a2 DELETE Temp")).tagged).toBe("a2 OK DELETE completed");
    // Deleting the selected mailbox leaves the session authenticated.
    expect((await c.transact("a3 FETCH 1 FLAGS")).tagged).toStartWith("a3 BAD");
    expect((await api(f.t, "GET", `/v3/grants/${grantId}/folders/${folder.id}`)).status).toBe(404);
  });

  test("another session with the folder selected is told BYE", async () => {
    const { email } = await f.account();
    const a = await f.client(email);
    const b = await f.client(email);
    await a.ok("a0 CREATE Gone");
    await b.ok("b0 SELECT Gone");
    await a.ok("a1 DELETE Gone");
    b.write("b1 NOOP\r\n");
    expect(await b.line()).toBe("* BYE The selected mailbox was deleted");
  });
});
