import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "../store/store.ts";

export const KEY_FILE = "secret.key";

/**
 * The key provider passwords are sealed with: the operator's AGENTBOX_SECRET_KEY, or one generated
 * on first use in the data directory (`secret.key`, mode 0600, kept with the database's backups
 * in mind: without it the sealed passwords are lost and each account must be connected again).
 */
export function loadCredentialKey(dataDir: string, configured: Buffer | null): Buffer {
  if (configured) return configured;
  const path = join(dataDir, KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  chmodSync(path, 0o600);
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte hex key`);
  return key;
}

const keys = new WeakMap<Store, Buffer>();

/** The server binds its key to its store at start; whoever reads or writes accounts finds it here. */
export function bindCredentialKey(store: Store, key: Buffer): void {
  keys.set(store, key);
}

/** The store's key; a store nobody bound (a test's) gets a random one for its lifetime. */
export function credentialKeyFor(store: Store): Buffer {
  let key = keys.get(store);
  if (!key) {
    key = randomBytes(32);
    keys.set(store, key);
  }
  return key;
}
