/**
 * Protocol logins with the account's email and app password. bcrypt runs once per LOGIN, not per
 * command; a process-wide cache remembers (grant, password version, keyed digest of the password)
 * after a success, so reconnecting clients do not pay ~85 ms each. Failures are rate-limited per
 * client address and per account.
 */
import { createHmac, randomBytes } from "node:crypto";
import { checkAppPassword, refuseUnknownAccount } from "../../src/accounts/app-password.ts";
import { loginGrant } from "../../src/accounts/grants.ts";
import { FailureLimiter } from "../../src/security/rate-limit.ts";
import type { Store } from "../../src/store/store.ts";

export type LoginResult =
  | { ok: true; grantId: string; email: string; passwordVersion: number }
  | { ok: false; code: string; text: string };

const CACHE_MAX = 10_000;

export class ImapAuth {
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, { version: number; digest: string }>();
  readonly perAddress = new FailureLimiter(30, 60_000);
  readonly perAccount = new FailureLimiter(10, 60_000);

  constructor(private readonly store: Store) {}

  async login(email: string, password: string, address: string): Promise<LoginResult> {
    const account = email.trim().toLowerCase();
    const wait = Math.max(this.perAddress.blockedFor(address), this.perAccount.blockedFor(account));
    if (wait > 0) {
      return {
        ok: false,
        code: "UNAVAILABLE",
        text: `Too many failed logins; try again in ${Math.ceil(wait / 1000)} seconds`,
      };
    }
    const grant = loginGrant(this.store, account);
    if (!grant) {
      await refuseUnknownAccount(password);
      return this.failed(address, account, "Invalid email or app password");
    }
    if (!grant.appPasswordHash) {
      this.perAddress.fail(address);
      return {
        ok: false,
        code: "AUTHENTICATIONFAILED",
        text: "IMAP access is disabled for this account until an app password is set (settings.app_password through the API)",
      };
    }
    const digest = createHmac("sha256", this.key).update(password).digest("base64");
    const cached = this.verified.get(grant.grantId);
    const good =
      (cached !== undefined && cached.version === grant.passwordVersion && cached.digest === digest) ||
      (await checkAppPassword(password, grant.appPasswordHash));
    if (!good) return this.failed(address, account, "Invalid email or app password");
    this.verified.delete(grant.grantId);
    this.verified.set(grant.grantId, { version: grant.passwordVersion, digest });
    if (this.verified.size > CACHE_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.perAccount.reset(account);
    return { ok: true, grantId: grant.grantId, email: grant.email, passwordVersion: grant.passwordVersion };
  }

  private failed(address: string, account: string, text: string): LoginResult {
    this.perAddress.fail(address);
    this.perAccount.fail(account);
    return { ok: false, code: "AUTHENTICATIONFAILED", text };
  }
}
