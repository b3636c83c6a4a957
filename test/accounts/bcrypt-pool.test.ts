import { describe, expect, test } from "bun:test";
import bcrypt from "bcryptjs";
import { checkAppPassword, hashAppPassword } from "../../src/accounts/app-password.ts";
import { BcryptPool } from "../../src/accounts/bcrypt-pool.ts";

const PASSWORD = "MySecureP4ssword2024x";

/** The longest the event loop went without running a 1 ms interval while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await work();
  clearInterval(timer);
  return Math.max(longest, performance.now() - last);
}

describe("app passwords are hashed and compared off the main thread", () => {
  test("hash and compare agree with bcrypt", async () => {
    const hash = await hashAppPassword(PASSWORD);
    expect(hash).toMatch(/^\$2[ab]\$10\$/);
    expect(bcrypt.compareSync(PASSWORD, hash)).toBe(true);
    expect(await checkAppPassword(PASSWORD, hash)).toBe(true);
    expect(await checkAppPassword("Wr0ngPasswordWrongPass", hash)).toBe(false);
    expect(await checkAppPassword(PASSWORD, "not a bcrypt hash")).toBe(false);
  });

  test("four comparisons at once (~80 ms of CPU each) leave the event loop free", async () => {
    const hash = bcrypt.hashSync(PASSWORD, 10);
    const stall = await longestStall(() =>
      Promise.all(Array.from({ length: 4 }, () => checkAppPassword("Wr0ngPasswordWrongPass", hash))),
    );
    // bcryptjs on the main thread held it ~360 ms here; on a bcrypt thread a few ms at most.
    expect(stall).toBeLessThan(50);
  });

  test("a thread that dies fails its jobs; the next job gets a new thread", async () => {
    const pool = new BcryptPool(1);
    const hash = bcrypt.hashSync(PASSWORD, 4);
    expect(await pool.compare(PASSWORD, hash)).toBe(true);
    const slot = (pool as unknown as { slots: { worker: Worker }[] }).slots[0];
    const pending = pool.compare(PASSWORD, hash);
    slot?.worker.onerror?.(new ErrorEvent("error", { message: "boom" }));
    await expect(pending).rejects.toThrow(/bcrypt failed: boom/);
    expect(await pool.compare(PASSWORD, hash)).toBe(true);
  });
});
