import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ImapFixture, imapFixture } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

describe("SUBSCRIBE / UNSUBSCRIBE", () => {
  test("errors", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact("a1 SUBSCRIBE Nope")).tagged).toBe(
      'a1 NO [NONEXISTENT] mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 UNSUBSCRIBE")).tagged).toBe("a2 BAD UNSUBSCRIBE: missing mailbox name");
  });

  test("CREATE does not subscribe; the mark persists across sessions", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Lists");
    expect(await c.ok('a1 LSUB "" Lists')).toEqual([]);
    expect((await c.transact("a2 SUBSCRIBE Lists")).tagged).toBe("a2 OK SUBSCRIBE completed");
    const d = await f.client(email);
    expect(await d.ok('b1 LSUB "" Lists')).toEqual(['* LSUB () "/" "Lists"']);
    expect((await d.transact("b2 UNSUBSCRIBE Lists")).tagged).toBe("b2 OK UNSUBSCRIBE completed");
    expect(await c.ok('a3 LSUB "" Lists')).toEqual([]);
  });

  test("a subscription outlives its mailbox's DELETE, until UNSUBSCRIBE or a new CREATE", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Old");
    await c.ok("a1 SUBSCRIBE Old");
    await c.ok("a2 DELETE Old");
    const d = await f.client(email);
    expect(await d.ok('b1 LSUB "" Old')).toEqual(['* LSUB (\\Noselect) "/" "Old"']);
    expect(await d.ok('b2 LIST (SUBSCRIBED) "" Old')).toEqual([
      '* LIST (\\NonExistent \\Subscribed) "/" "Old"',
    ]);
    expect(await d.ok('b3 LIST "" Old')).toEqual([]);
    await c.ok("a3 CREATE Old");
    expect(await d.ok('b4 LSUB "" Old')).toEqual(['* LSUB () "/" "Old"']);
    await c.ok("a4 DELETE Old");
    expect((await d.transact("b5 UNSUBSCRIBE Old")).tagged).toBe("b5 OK UNSUBSCRIBE completed");
    expect(await c.ok('a5 LSUB "" *')).not.toContain('* LSUB (\\Noselect) "/" "Old"');
    expect((await d.transact("b6 UNSUBSCRIBE Old")).tagged).toBe(
      'b6 NO [NONEXISTENT] mailbox "Old" does not exist',
    );
  });

  test("LSUB with %: an unsubscribed level above a subscribed name is \\Noselect", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE box/sub/leaf");
    await c.ok("a1 SUBSCRIBE box/sub/leaf");
    expect(await c.ok('a2 LSUB "" box/%')).toEqual(['* LSUB (\\Noselect) "/" "box/sub"']);
    expect(await c.ok('a3 LSUB "" box/*')).toEqual(['* LSUB () "/" "box/sub/leaf"']);
    expect(await c.ok('a4 LSUB "" *leaf')).toEqual(['* LSUB () "/" "box/sub/leaf"']);
  });

  test("LIST (SUBSCRIBED RECURSIVEMATCH): CHILDINFO for a parent whose subscribed child the pattern misses", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE p/q");
    await c.ok("a1 SUBSCRIBE p/q");
    expect(await c.ok('a2 LIST (SUBSCRIBED RECURSIVEMATCH) "" %')).toContain(
      '* LIST (\\HasChildren) "/" "p" ("CHILDINFO" ("SUBSCRIBED"))',
    );
    expect(await c.ok('a3 LIST (SUBSCRIBED RECURSIVEMATCH) "" p*')).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "p/q"',
    ]);
    expect(await c.ok('a4 LIST "" p RETURN (SUBSCRIBED CHILDREN)')).toEqual([
      '* LIST (\\HasChildren) "/" "p"',
    ]);
  });
});
