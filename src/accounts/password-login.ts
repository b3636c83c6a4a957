/**
 * Logins with an account's email and app password, for IMAP and SMTP submission alike: one
 * credential, so one budget of wrong guesses per account and per client address, whichever
 * protocol they come through.
 *
 * - Every attempt holds a slot of both limits from when it starts (rate-limit.ts), so however
 *   many arrive at once, no more wrong passwords are checked than the limits allow; a success
 *   frees only its own slot. An attempt over a limit is refused without looking at the password.
 * - An unknown account, an account without an app password and a wrong password are one answer,
 *   and each costs one bcrypt comparison (on a bcrypt thread), so neither the reply nor its time
 *   tells them apart.
 * - After a success, (grant, password version, keyed digest of the password) is remembered, so a
 *   mail client that reconnects all day does not pay a bcrypt comparison each time.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { LoginLimits } from "../config/config.ts";
import { addressKey } from "../security/address-key.ts";
import { AttemptLimiter, admitAttempt } from "../security/rate-limit.ts";
import type { Store } from "../store/store.ts";
import { checkAppPassword, refuseWithoutHash } from "./app-password.ts";
import { findGrantByEmail } from "./grants.ts";

export interface LoggedInAccount {
  grantId: string;
  email: string;
  /** The app password this login used; a rotation bumps the grant's version. */
  passwordVersion: number;
}

export type PasswordLoginResult =
  | { ok: true; account: LoggedInAccount }
  /** Told to the client as one thing; `cause` is for the server's log only. */
  | { ok: false; refused: "invalid"; cause: "unknown_account" | "no_app_password" | "wrong_password" }
  /** Over a limit: the password was not checked. */
  | { ok: false; refused: "limited"; retryAfterMs: number };

const CACHE_MAX = 10_000;

export class PasswordLogins {
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, { version: number; digest: Buffer }>();
  private readonly perIp: AttemptLimiter;
  private readonly perAccount: AttemptLimiter;

  constructor(
    private readonly store: Store,
    limits: LoginLimits,
  ) {
    this.perIp = new AttemptLimiter(limits.maxFailuresPerIp, limits.windowMs);
    this.perAccount = new AttemptLimiter(limits.maxFailuresPerAccount, limits.windowMs);
  }

  async login(email: string, password: string, address: string): Promise<PasswordLoginResult> {
    const account = email.trim().toLowerCase();
    const attempt = await admitAttempt([
      [this.perIp, addressKey(address)],
      [this.perAccount, account],
    ]);
    if (!attempt.admitted) return { ok: false, refused: "limited", retryAfterMs: attempt.retryAfterMs };
    let result: PasswordLoginResult | undefined;
    try {
      result = await this.check(account, password);
      return result;
    } finally {
      attempt.end(result?.ok === true);
    }
  }

  private async check(account: string, password: string): Promise<PasswordLoginResult> {
    const grant = account.includes("@") ? findGrantByEmail(this.store, account) : null;
    if (!grant?.appPasswordHash) {
      await refuseWithoutHash(password);
      return { ok: false, refused: "invalid", cause: grant ? "no_app_password" : "unknown_account" };
    }
    const digest = createHmac("sha256", this.key).update(password).digest();
    const known = this.verified.get(grant.id);
    const good =
      (known !== undefined &&
        known.version === grant.passwordVersion &&
        timingSafeEqual(known.digest, digest)) ||
      (await checkAppPassword(password, grant.appPasswordHash));
    if (!good) return { ok: false, refused: "invalid", cause: "wrong_password" };
    this.remember(grant.id, grant.passwordVersion, digest);
    return {
      ok: true,
      account: { grantId: grant.id, email: grant.email, passwordVersion: grant.passwordVersion },
    };
  }

  private remember(grantId: string, version: number, digest: Buffer): void {
    this.verified.delete(grantId);
    this.verified.set(grantId, { version, digest });
    if (this.verified.size > CACHE_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
  }
}
