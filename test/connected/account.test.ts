import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { deleteGrant } from "../../src/accounts/provision.ts";
import {
  type ConnectedAccount,
  listConnectedGrantIds,
  loadConnectedAccount,
  saveConnectedAccount,
} from "../../src/connected/account.ts";
import { bindCredentialKey, loadCredentialKey } from "../../src/connected/credential-key.ts";
import { openSecret, sealSecret } from "../../src/connected/credential-seal.ts";
import type { Store } from "../../src/store/store.ts";
import { insertGrant } from "../support/grant.ts";
import { openTempStore } from "../support/store.ts";

const PASSWORD = "imap-pw-7f3a9c2e-provider-secret";

function accountFor(grantId: string, email: string): ConnectedAccount {
  return {
    grantId,
    email,
    imap: { host: "imap.example.net", port: 993, security: "tls", username: email, password: PASSWORD },
    smtp: {
      host: "smtp.example.net",
      port: 587,
      security: "starttls",
      username: email,
      password: "smtp-secret-91",
    },
  };
}

describe("connected accounts in the store", () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dir, cleanup } = await openTempStore());
    bindCredentialKey(store, loadCredentialKey(dir, null));
  });
  afterEach(() => cleanup());

  test("saved, listed and loaded with the passwords opened; replaced on a second save", async () => {
    const { grantId, email } = await insertGrant(store);
    await saveConnectedAccount(store, accountFor(grantId, email));
    expect(await listConnectedGrantIds(store)).toEqual([grantId]);
    expect(await loadConnectedAccount(store, grantId)).toEqual(accountFor(grantId, email));
    const changed = accountFor(grantId, email);
    changed.imap.password = "rotated";
    await saveConnectedAccount(store, changed);
    expect((await loadConnectedAccount(store, grantId))?.imap.password).toBe("rotated");
    expect(await listConnectedGrantIds(store)).toEqual([grantId]);
  });

  test("an agent account is not a connected one", async () => {
    const { grantId } = await insertGrant(store);
    expect(await loadConnectedAccount(store, grantId)).toBeUndefined();
  });

  test("the password is not in the database files; the key file is 0600", async () => {
    const { grantId, email } = await insertGrant(store);
    await saveConnectedAccount(store, accountFor(grantId, email));
    const bytes = Buffer.concat(
      ["agentbox.db", "agentbox.db-wal"].map((f) => readFileSync(join(dir, f), { flag: "r" })),
    );
    expect(bytes.includes(Buffer.from("imap.example.net"))).toBe(true); // the row is in what was read
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from("smtp-secret-91"))).toBe(false);
    expect(statSync(join(dir, "secret.key")).mode & 0o777).toBe(0o600);
  });

  test("deleting the grant removes its credentials", async () => {
    const { grantId, email } = await insertGrant(store);
    await saveConnectedAccount(store, accountFor(grantId, email));
    const grant = await store.read.query.grants.findFirst({ where: (g, { eq }) => eq(g.id, grantId) });
    if (!grant) throw new Error("no grant");
    await deleteGrant(store, grant);
    expect(await listConnectedGrantIds(store)).toEqual([]);
  });
});

describe("sealing", () => {
  const key = Buffer.alloc(32, 7);
  test("opens with its key and context only", () => {
    const sealed = sealSecret(key, "hunter2", "a");
    expect(sealed).not.toContain("hunter2");
    expect(openSecret(key, sealed, "a")).toBe("hunter2");
    expect(() => openSecret(key, sealed, "b")).toThrow();
    expect(() => openSecret(Buffer.alloc(32, 8), sealed, "a")).toThrow();
    expect(sealSecret(key, "hunter2", "a")).not.toBe(sealed);
  });
});
