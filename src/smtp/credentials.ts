import { eq } from "drizzle-orm";
import { checkAppPassword, refuseUnknownAccount } from "../accounts/app-password.ts";
import { findGrantByEmail } from "../accounts/grants.ts";
import { type GrantRow, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** Who an SMTP session logged in as; `passwordVersion` is the app password it logged in with. */
export interface SmtpUser {
  grantId: string;
  email: string;
  passwordVersion: number;
}

export type LoginResult =
  | { ok: true; user: SmtpUser }
  /** The account exists but has no app password: mail clients cannot log in until one is set. */
  | { ok: false; reason: "no_password" }
  /** Unknown account or wrong password (not told apart, so addresses cannot be probed). */
  | { ok: false; reason: "invalid" };

/** The account email and app password of AUTH PLAIN/LOGIN (the same credential as IMAP). */
export async function checkLogin(store: Store, email: string, password: string): Promise<LoginResult> {
  const grant = email.includes("@") ? findGrantByEmail(store, email) : null;
  if (!grant) {
    await refuseUnknownAccount(password);
    return { ok: false, reason: "invalid" };
  }
  if (!grant.appPasswordHash) return { ok: false, reason: "no_password" };
  if (!(await checkAppPassword(password, grant.appPasswordHash))) return { ok: false, reason: "invalid" };
  return {
    ok: true,
    user: { grantId: grant.id, email: grant.email, passwordVersion: grant.passwordVersion },
  };
}

/**
 * The session's account, if its login still stands: the grant exists and its app password was
 * not changed (or removed) since. Checked at every mail transaction, so a rotation ends old
 * sessions at their next command.
 */
export async function currentGrant(store: Store, user: SmtpUser): Promise<GrantRow | null> {
  const grant = await store.read.query.grants.findFirst({ where: eq(grants.id, user.grantId) });
  if (!grant?.appPasswordHash || grant.passwordVersion !== user.passwordVersion) return null;
  return grant;
}
