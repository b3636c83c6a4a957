import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { api } from "../support/server.ts";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

const SYSTEM = [
  '* LIST (\\HasNoChildren) "/" "INBOX"',
  '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
  '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
  '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
  '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
  '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
] as const;

describe("LIST", () => {
  test("errors", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact('a1 LIST ""')).tagged).toBe("a1 BAD LIST: missing mailbox pattern");
    expect((await c.transact('a2 LIST (FOO) "" *')).tagged).toBe(
      "a2 BAD LIST: unknown LIST selection option FOO",
    );
    expect((await c.transact('a3 LIST "" * RETURN (BAR)')).tagged).toBe(
      "a3 BAD LIST: unknown LIST return option BAR",
    );
    expect((await c.transact('a4 LIST (RECURSIVEMATCH) "" *')).tagged).toBe(
      "a4 BAD LIST: RECURSIVEMATCH needs another selection option",
    );
  });

  test("the six system folders with SPECIAL-USE; the delimiter; patterns", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect(await c.ok('a1 LIST "" "*"')).toEqual([...SYSTEM]);
    expect(await c.ok('a2 LIST "" ""')).toEqual(['* LIST (\\Noselect) "/" ""']);
    const [inbox, sent, , trash, junk] = SYSTEM;
    expect(await c.ok('a3 LIST "" inbox')).toEqual([inbox]);
    expect(await c.ok('a4 LIST "" "S%"')).toEqual([sent]);
    expect(await c.ok('a5 LIST "" ("Trash" "Junk")')).toEqual([trash, junk]);
    expect(await c.ok('a6 LIST (SPECIAL-USE) "" *')).toEqual(SYSTEM.slice(1));
  });

  test("custom folders from the API appear with hierarchy, children and modified UTF-7 names", async () => {
    const { email, grantId } = await f.account();
    const parent = await api(f.t, "POST", `/v3/grants/${grantId}/folders`, { name: "Projects" });
    expect(parent.status).toBe(200);
    await api(f.t, "POST", `/v3/grants/${grantId}/folders`, {
      name: "Entwürfe 2025",
      parent_id: parent.body.data.id,
    });
    const c = await f.client(email);
    expect((await c.ok('a1 LIST "" *')).slice(6)).toEqual([
      '* LIST (\\HasChildren) "/" "Projects"',
      '* LIST (\\HasNoChildren) "/" "Projects/Entw&APw-rfe 2025"',
    ]);
    expect(await c.ok('a2 LIST "" %')).toHaveLength(7);
    expect(await c.ok('a3 LIST "Projects/" %')).toEqual([
      '* LIST (\\HasNoChildren) "/" "Projects/Entw&APw-rfe 2025"',
    ]);
  });

  test("RETURN (SUBSCRIBED CHILDREN STATUS (...)), and the SUBSCRIBED selection", async () => {
    const { email, grantId } = await f.account();
    await deliver(f, grantId, message());
    const c = await f.client(email);
    await c.ok("a0 UNSUBSCRIBE Junk");
    expect(await c.ok('a1 LIST "" (INBOX Junk) RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN))')).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
      '* STATUS "INBOX" (MESSAGES 1 UNSEEN 1)',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* STATUS "Junk" (MESSAGES 0 UNSEEN 0)',
    ]);
    const subscribed = await c.ok('a2 LIST (SUBSCRIBED) "" *');
    expect(subscribed).toHaveLength(5);
    expect(subscribed.some((l) => l.includes("Junk"))).toBe(false);
  });

  test("LSUB lists the subscribed mailboxes", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 UNSUBSCRIBE Archive");
    expect(await c.ok('a1 LSUB "" *')).toEqual([
      '* LSUB () "/" "INBOX"',
      '* LSUB (\\Sent) "/" "Sent"',
      '* LSUB (\\Drafts) "/" "Drafts"',
      '* LSUB (\\Trash) "/" "Trash"',
      '* LSUB (\\Junk) "/" "Junk"',
    ]);
  });

  test("atoms: `~` starts a literal8 only before `{`; a name outside modified UTF-7 names nothing", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect(await c.transact('a1 LIST "" ~foo')).toEqual({ untagged: [], tagged: "a1 OK LIST completed" });
    expect((await c.transact("a2 SELECT ~foo")).tagged).toBe(
      'a2 NO [NONEXISTENT] Mailbox "~foo" does not exist',
    );
    expect((await c.transact("a3 SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}")).tagged).toBe(
      "a3 NO [CANNOT] mailbox name is not valid modified UTF-7",
    );
    expect(await c.transact('a4 LIST "" !#$&\'+,-.0123456789:;<=>?@^_`|[}%*')).toEqual({
      untagged: [],
      tagged: "a4 OK LIST completed",
    });
    expect((await c.transact("a5 NOOP")).tagged).toBe("a5 OK NOOP completed");
  });
});
