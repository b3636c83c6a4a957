import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("CREATE", () => {
  test("errors: exists (any case), INBOX, empty levels", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 CREATE Sent")).tagged).toBe(
      'a1 NO [ALREADYEXISTS] Mailbox "Sent" already exists',
    );
    expect((await c.transact("a2 CREATE inbox")).tagged).toBe(
      'a2 NO [ALREADYEXISTS] Mailbox "INBOX" already exists',
    );
    expect((await c.transact("a3 CREATE a//b")).tagged).toBe(
      'a3 NO [CANNOT] Invalid mailbox name: it has an empty or blank level (a leading, trailing or doubled "/")',
    );
  });

  test("invalid names are refused whole: nothing of the path is created", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    // A lone surrogate is not modified UTF-7 (it was stored as U+FFFD, a name nobody could select).
    expect((await c.transact('b1 CREATE "&2AA-"')).tagged).toBe(
      "b1 NO [CANNOT] mailbox name is not valid modified UTF-7",
    );
    expect((await c.transact('b2 CREATE "&2D3eAA-"')).tagged).toBe("b2 OK CREATE completed");
    expect((await c.transact("b3 CREATE p1/../../q")).tagged).toBe(
      'b3 NO [CANNOT] Invalid mailbox name: it has a level named ".."',
    );
    expect((await c.transact("b4 CREATE p2/./q")).tagged).toBe(
      'b4 NO [CANNOT] Invalid mailbox name: it has a level named "."',
    );
    expect((await c.transact('b5 CREATE "p3/ q"')).tagged).toBe(
      "b5 NO [CANNOT] Invalid mailbox name: a level begins or ends with white space",
    );
    c.write("b6 CREATE {5}\r\n");
    expect(await c.line()).toStartWith("+ ");
    c.write("p4/\tq\r\n");
    expect((await c.until("b6")).tagged).toBe(
      "b6 NO [CANNOT] Invalid mailbox name: it contains a control character (such as NUL, tab or a line break)",
    );
    const names = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data.map((x: any) => x.name);
    expect(names.filter((n: string) => /^p\d/.test(n))).toEqual([]);
    expect(names).toContain("\u{1F600}");
    expect(await c.ok('b9 LIST "" "&2D3eAA-"')).toEqual(['* LIST (\\HasNoChildren) "/" "&2D3eAA-"']);
  });

  test("a folder, with missing parents; the API sees them; folder.created events", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 CREATE Work/2025/Q1")).tagged).toBe("a1 OK CREATE completed");
    expect((await c.transact('a2 CREATE "&ZeVnLIqe-/"')).tagged).toBe("a2 OK CREATE completed");
    const folders = await api(f.t, "GET", `/v3/grants/${grantId}/folders`);
    const byName = new Map(folders.body.data.map((x: any) => [x.name, x]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["Work", "2025", "Q1", "日本語"]));
    expect((byName.get("2025") as any).parent_id).toBe((byName.get("Work") as any).id);
    expect((byName.get("Q1") as any).parent_id).toBe((byName.get("2025") as any).id);
    expect((await c.ok('a3 LIST "" Work*')).length).toBe(3);
    const events = f.t.server.store.read.$client
      .prepare("SELECT type FROM events WHERE grant_id = ? AND type = 'folder.created'")
      .all(grantId);
    expect(events).toHaveLength(4);
  });

  test("a name is unique among siblings only: the same leaf under other parents", async () => {
    const { email, grantId } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Acme");
    expect((await c.transact("a1 CREATE Clients/Acme")).tagged).toBe("a1 OK CREATE completed");
    expect((await c.transact("a2 CREATE Acme/Acme")).tagged).toBe("a2 OK CREATE completed");
    expect((await c.transact("a3 CREATE clients/acme")).tagged).toBe(
      'a3 NO [ALREADYEXISTS] Mailbox "clients/acme" already exists',
    );
    expect(await c.ok('a4 LIST "" *Acme')).toEqual([
      '* LIST (\\HasChildren) "/" "Acme"',
      '* LIST (\\HasNoChildren) "/" "Clients/Acme"',
      '* LIST (\\HasNoChildren) "/" "Acme/Acme"',
    ]);
    const folders = (await api(f.t, "GET", `/v3/grants/${grantId}/folders`)).body.data as any[];
    const clients = folders.find((x) => x.name === "Clients");
    const res = await api(f.t, "POST", `/v3/grants/${grantId}/folders`, {
      name: "ACME",
      parent_id: clients.id,
    });
    expect(res.status).toBe(409);
  });

  test("DELETE then CREATE of one name, in the same second: a new UIDVALIDITY", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Again");
    const before = await c.ok("a1 STATUS Again (UIDVALIDITY UIDNEXT)");
    await c.ok("a2 DELETE Again");
    await c.ok("a3 CREATE Again");
    const after = await c.ok("a4 STATUS Again (UIDVALIDITY UIDNEXT)");
    const validity = (lines: string[]) => Number(/UIDVALIDITY (\d+)/.exec(lines[0] ?? "")?.[1]);
    expect(validity(after)).toBeGreaterThan(validity(before));
  });
});
