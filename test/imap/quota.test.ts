import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deliver, type ImapFixture, imapFixture, message } from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture({ AGENTBOX_STORAGE_QUOTA_BYTES: String(10 * 1024 * 1024) });
});
afterAll(() => f.stop());

describe("QUOTA (RFC 9208)", () => {
  test("GETQUOTAROOT and GETQUOTA report the account's storage in KiB; SETQUOTA is refused", async () => {
    const { email, grantId } = await f.account();
    const raw = message({ body: "z".repeat(3000) });
    await deliver(f, grantId, raw);
    const c = await f.client(email);
    const used = Math.ceil(Buffer.byteLength(raw) / 1024);
    expect(await c.transact("a1 GETQUOTAROOT INBOX")).toEqual({
      untagged: ['* QUOTAROOT "INBOX" ""', `* QUOTA "" (STORAGE ${used} 10240)`],
      tagged: "a1 OK GETQUOTAROOT completed",
    });
    expect(await c.ok('a2 GETQUOTA ""')).toEqual([`* QUOTA "" (STORAGE ${used} 10240)`]);
    expect((await c.transact("a3 GETQUOTA other")).tagged).toBe(
      'a3 NO [NONEXISTENT] No such quota root "other"',
    );
    expect((await c.transact('a4 SETQUOTA "" (STORAGE 1)')).tagged).toBe(
      "a4 NO [NOPERM] The storage quota is set by the account's administrator, not over IMAP",
    );
    expect((await c.transact("a5 GETQUOTAROOT Nope")).tagged).toBe(
      'a5 NO [NONEXISTENT] mailbox "Nope" does not exist',
    );
  });
});
