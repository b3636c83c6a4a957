import { eq } from "drizzle-orm";
import { type GrantRow, grants } from "../store/schema.ts";
import type { Store } from "../store/store.ts";

/** Who an SMTP session logged in as; `passwordVersion` is the app password it logged in with. */
export interface SmtpUser {
  grantId: string;
  email: string;
  passwordVersion: number;
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
