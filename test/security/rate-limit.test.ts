import { describe, expect, test } from "bun:test";
import { AttemptLimiter, admitAttempt } from "../../src/security/rate-limit.ts";

describe("AttemptLimiter / admitAttempt", () => {
  test("max failures block the key until the oldest leaves the window; others are unaffected", async () => {
    const limiter = new AttemptLimiter(3, 200);
    for (let i = 0; i < 3; i++) {
      const a = await admitAttempt([[limiter, "k"]]);
      if (!a.admitted) throw new Error("refused too early");
      a.end(false);
    }
    const refused = await admitAttempt([[limiter, "k"]]);
    expect(refused.admitted).toBe(false);
    if (!refused.admitted) expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect((await admitAttempt([[limiter, "other"]])).admitted).toBe(true);
    await Bun.sleep(220);
    expect((await admitAttempt([[limiter, "k"]])).admitted).toBe(true);
  });

  test("a success frees its own slot and leaves earlier failures counted", async () => {
    const limiter = new AttemptLimiter(2, 60_000);
    const wrong = await admitAttempt([[limiter, "k"]]);
    if (wrong.admitted) wrong.end(false);
    for (let i = 0; i < 5; i++) {
      const right = await admitAttempt([[limiter, "k"]]);
      if (!right.admitted) throw new Error("a success was counted as a failure");
      right.end(true);
    }
    const second = await admitAttempt([[limiter, "k"]]);
    if (second.admitted) second.end(false);
    expect((await admitAttempt([[limiter, "k"]])).admitted).toBe(false);
  });

  test("attempts beyond the free slots wait for one to end; once failures fill them, they are refused", async () => {
    const limiter = new AttemptLimiter(2, 60_000);
    const first = await admitAttempt([[limiter, "k"]]);
    const second = await admitAttempt([[limiter, "k"]]);
    let thirdSettled = false;
    const third = admitAttempt([[limiter, "k"]]).then((a) => {
      thirdSettled = true;
      return a;
    });
    await Bun.sleep(20);
    expect(thirdSettled).toBe(false);
    if (first.admitted) first.end(true);
    const admitted = await third;
    expect(admitted.admitted).toBe(true);
    // Now two in flight fail: a fourth attempt is refused outright.
    if (second.admitted) second.end(false);
    if (admitted.admitted) admitted.end(false);
    expect((await admitAttempt([[limiter, "k"]])).admitted).toBe(false);
  });

  test("an attempt counts against every key it names, and is refused if any blocks it", async () => {
    const perIp = new AttemptLimiter(5, 60_000);
    const perAccount = new AttemptLimiter(1, 60_000);
    const a = await admitAttempt([
      [perIp, "ip"],
      [perAccount, "alice"],
    ]);
    if (a.admitted) a.end(false);
    const refused = await admitAttempt([
      [perIp, "ip"],
      [perAccount, "alice"],
    ]);
    expect(refused.admitted).toBe(false);
    // The refusal took nothing from the address's budget: 4 more wrong ones fit.
    for (let i = 0; i < 4; i++) {
      const b = await admitAttempt([
        [perIp, "ip"],
        [perAccount, `bob${i}`],
      ]);
      expect(b.admitted).toBe(true);
      if (b.admitted) b.end(false);
    }
    expect((await admitAttempt([[perIp, "ip"]])).admitted).toBe(false);
  });
});
