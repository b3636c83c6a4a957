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

  test("the mark persists across sessions", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    await c.ok("a0 CREATE Lists");
    expect(await c.ok('a1 LSUB "" Lists')).toEqual(['* LSUB () "/" "Lists"']);
    expect((await c.transact("a2 UNSUBSCRIBE Lists")).tagged).toBe("a2 OK UNSUBSCRIBE completed");
    const d = await f.client(email);
    expect(await d.ok('b1 LSUB "" Lists')).toEqual([]);
    expect((await d.transact("b2 SUBSCRIBE Lists")).tagged).toBe("b2 OK SUBSCRIBE completed");
    expect(await c.ok('a3 LSUB "" Lists')).toEqual(['* LSUB () "/" "Lists"']);
  });
});
