import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("RENAME", () => {
  test("errors: missing source, existing target, system folders, INBOX, below itself", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Box");
    expect((await c.transact("a1 RENAME Nope New")).tagged).toBe(
      'a1 NO [NONEXISTENT] Mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 RENAME Box Sent")).tagged).toBe(
      'a2 NO [ALREADYEXISTS] Mailbox "Sent" already exists',
    );
    expect((await c.transact("a3 RENAME Sent Outbox")).tagged).toBe(
      "a3 NO [CANNOT] Sent is a system folder: it cannot be renamed or moved",
    );
    expect((await c.transact("a4 RENAME INBOX Old")).tagged).toBe(
      "a4 NO [CANNOT] Renaming INBOX is not supported",
    );
    expect((await c.transact("a5 RENAME Box Box/Inner")).tagged).toBe(
      "a5 NO [CANNOT] A mailbox cannot move below itself",
    );
  });

  test("an invalid new name, or one whose new levels clash, changes nothing", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Box");
    expect((await c.transact("a1 RENAME Box n1/../x")).tagged).toBe(
      'a1 NO [CANNOT] Invalid mailbox name: it has a level named ".."',
    );
    // Names are unique among siblings (issue 13): a clash is with a sibling, in any case.
    await c.ok("a2 CREATE n2/Sib");
    expect((await c.transact("a3 RENAME Box n2/SIB")).tagged).toStartWith("a3 NO [ALREADYEXISTS]");
    const names = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data.map((x: any) => x.name);
    expect(names.filter((n: string) => /^n\d/.test(n) && n !== "n2")).toEqual([]);
    expect(names).toContain("Box");
    // Its own name in another case, under a new parent, is fine.
    expect((await c.transact("a4 RENAME Box n4/BOX")).tagged).toBe("a4 OK RENAME completed");
  });

  test("a rename keeps the folder (id, UIDVALIDITY, messages) and moves its subfolders along", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Old/Child");
    const before = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data.find(
      (x: any) => x.name === "Old",
    );
    await deliver(f, grantId, message(), before.id);
    const v1 = (await c.ok("a1 STATUS Old (UIDVALIDITY MESSAGES)"))[0];
    expect((await c.transact("a2 RENAME Old Archive/New")).tagged).toBe("a2 OK RENAME completed");
    expect(await c.ok('a3 LIST "" Archive*')).toEqual([
      '* LIST (\\HasChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasChildren) "/" "Archive/New"',
      '* LIST (\\HasNoChildren) "/" "Archive/New/Child"',
    ]);
    expect((await c.ok("a4 STATUS Archive/New (UIDVALIDITY MESSAGES)"))[0]).toBe(
      v1?.replace('"Old"', '"Archive/New"'),
    );
    const after = (await api(f.t, "GET", `/v3/grants/${grantId}/folders/${before.id}`)).body.data;
    expect(after.name).toBe("New");
    expect(after.parent_id).toBe("archive");
  });
});
