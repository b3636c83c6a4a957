import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { createApiKey, hashApiKey } from "./applications/api-keys.ts";
import { createApplication, findDefaultApplication } from "./applications/applications.ts";
import type { Config } from "./config/config.ts";
import { createDomain, findDomainByAddress } from "./domains/domains.ts";
import { nowSeconds } from "./ids.ts";
import type { Logger } from "./log.ts";
import { apiKeys } from "./store/schema.ts";
import type { Store } from "./store/store.ts";

/**
 * First start and every start: the default application, the operator's key from AGENTBOX_API_KEY
 * (a generated one comes later: generateFirstKey), and the trial domain exist. Returns the default application's id.
 */
export async function bootstrap(store: Store, config: Config, log: Logger): Promise<string> {
  const app = (await findDefaultApplication(store)) ?? (await createApplication(store, "default", true));
  await ensureOperatorKey(store, config, app.id, log);
  if (!(await findDomainByAddress(store, config.trialDomain))) {
    await createDomain(store, {
      applicationId: app.id,
      name: "trial",
      domainAddress: config.trialDomain,
      trial: true,
    });
    log.info({ domain: config.trialDomain }, "trial domain created");
  }
  return app.id;
}

async function ensureOperatorKey(
  store: Store,
  config: Config,
  applicationId: string,
  log: Logger,
): Promise<void> {
  if (!config.apiKey) return;
  const hash = hashApiKey(config.apiKey);
  const current = await store.read.query.apiKeys.findFirst({
    where: and(eq(apiKeys.fromEnv, true), isNull(apiKeys.revokedAt)),
  });
  if (current?.keyHash === hash) return;
  // AGENTBOX_API_KEY changed: the old environment key stops working.
  await store.writer.submit((tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: nowSeconds() })
      .where(and(eq(apiKeys.fromEnv, true), isNull(apiKeys.revokedAt))),
  );
  await createApiKey(store, applicationId, "AGENTBOX_API_KEY", config.apiKey, true);
  log.info("operator key from AGENTBOX_API_KEY registered");
}

/**
 * The first start without AGENTBOX_API_KEY: an operator key, saved and printed once. Called only
 * once every listener is bound, so a start that fails (a busy port) generates and prints nothing.
 */
export async function generateFirstKey(store: Store, config: Config, applicationId: string): Promise<void> {
  if (config.apiKey) return;
  const any = await store.read.query.apiKeys.findFirst();
  if (any) return;
  const { key } = await createApiKey(store, applicationId, "generated at first start");
  const path = join(config.dataDir, "api-key");
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  // Printed once, on purpose, so the operator can copy it; it is never logged.
  process.stdout.write(`agentbox: generated an API key (saved to ${path}):\n${key}\n`);
}
