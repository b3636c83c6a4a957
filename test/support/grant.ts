import { SYSTEM_FOLDERS } from "../../src/domain/system-folders.ts";
import { newUuid, nowSeconds } from "../../src/ids.ts";
import { applications, domains, folders, grants } from "../../src/store/schema.ts";
import type { Store } from "../../src/store/store.ts";

/** Inserts an application, a domain and a grant with its system folders straight into a store. */
export async function insertGrant(
  store: Store,
  email = `a-${newUuid().slice(0, 8)}@example.test`,
  storageQuotaBytes = 10 * 1024 * 1024,
) {
  const now = nowSeconds();
  const applicationId = newUuid();
  const domainId = newUuid();
  const grantId = newUuid();
  await store.writer.submit(async (tx) => {
    await tx.insert(applications).values({ id: applicationId, name: "test", createdAt: now, updatedAt: now });
    await tx.insert(domains).values({
      id: domainId,
      applicationId,
      name: "test",
      domainAddress: `${domainId}.test`,
      ownershipToken: "t",
      dkimSelector: "s",
      dkimPrivateKey: "",
      dkimPublicKey: "",
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(grants).values({
      id: grantId,
      applicationId,
      domainId,
      email,
      storageQuotaBytes,
      dailySendLimit: 100,
      createdAt: now,
      updatedAt: now,
    });
    for (const f of SYSTEM_FOLDERS) {
      await tx.insert(folders).values({
        grantId,
        id: f.id,
        name: f.name,
        specialUse: f.specialUse,
        systemFolder: true,
        uidValidity: now,
        createdAt: now,
        updatedAt: now,
      });
    }
  });
  return { applicationId, grantId, email };
}
