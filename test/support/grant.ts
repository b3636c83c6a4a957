import { createGrant } from "../../src/accounts/provision.ts";
import { createApplication } from "../../src/applications/applications.ts";
import { createDomain } from "../../src/domains/domains.ts";
import { newUuid } from "../../src/ids.ts";
import type { Store } from "../../src/store/store.ts";

/**
 * Creates an application, a domain and an agent account on it through the provisioning code the
 * server runs (the account with its system folders, its calendar and its grant.created event).
 */
export async function insertGrant(
  store: Store,
  email = `a-${newUuid().slice(0, 8)}@example.test`,
  storageQuotaBytes = 10 * 1024 * 1024,
) {
  const application = await createApplication(store, "test");
  const domain = await createDomain(store, {
    applicationId: application.id,
    name: "test",
    domainAddress: `${newUuid()}.test`,
  });
  const grant = await createGrant(store, {
    applicationId: application.id,
    domainId: domain.id,
    email,
    name: null,
    workspaceId: null,
    settings: {},
    appPasswordHash: null,
    storageQuotaBytes,
    dailySendLimit: 100,
  });
  return { applicationId: application.id, grantId: grant.id, email: grant.email };
}
