import { bcryptPool } from "./bcrypt-pool.ts";

/** bcrypt cost: ~85 ms a hash on the reference machine. */
export const BCRYPT_COST = 10;

/**
 * The seeds' rules: 18–40 characters, printable ASCII 33–126 only, at least one upper-case
 * letter, one lower-case letter and one digit. Returns the first rule broken, or null.
 */
export function appPasswordProblem(password: string): string | null {
  if (password.length < 18 || password.length > 40) {
    return `app_password must be 18 to 40 characters long (got ${password.length})`;
  }
  for (const ch of password) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 33 || code > 126) {
      return "app_password may contain only printable ASCII characters (codes 33-126): no spaces, control or non-ASCII characters";
    }
  }
  if (!/[A-Z]/.test(password)) return "app_password must contain at least one upper-case letter (A-Z)";
  if (!/[a-z]/.test(password)) return "app_password must contain at least one lower-case letter (a-z)";
  if (!/[0-9]/.test(password)) return "app_password must contain at least one digit (0-9)";
  return null;
}

/** Both run on a bcrypt thread (bcrypt-pool.ts), never on the main thread. */
export function hashAppPassword(password: string): Promise<string> {
  return bcryptPool.hash(password, BCRYPT_COST);
}

export function checkAppPassword(password: string, hash: string): Promise<boolean> {
  return bcryptPool.compare(password, hash);
}

// A bcrypt hash of a random string: an unknown account costs the same time as a wrong password.
const DUMMY_HASH = "$2b$10$/I3me4V0B.BQMeRp9TnBGecu6HmdF6OCDrvixDrtXjZO4/Nsbs21u";

/**
 * A login that names no account, or an account without an app password, still spends one bcrypt
 * comparison (always false), so that the time of a reply does not tell which it was.
 */
export async function refuseWithoutHash(password: string): Promise<false> {
  await checkAppPassword(password, DUMMY_HASH);
  return false;
}
