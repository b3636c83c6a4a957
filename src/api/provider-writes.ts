import { providerTlsOptions } from "../connected/provider-tls.ts";
import { withWriteThrough } from "../connected/write-through/mailboxes.ts";
import { ProviderWrites } from "../connected/write-through/provider-writes.ts";
import type { ApiDeps } from "./deps.ts";

/**
 * The API's mailbox door writes a connected account's changes at its provider first
 * (src/connected/write-through/); everything else about the deps stays.
 */
export function withProviderWrites<D extends ApiDeps>(deps: D): D {
  const { connected } = deps.config;
  const writes = new ProviderWrites({
    store: deps.store,
    connectedSync: deps.connectedSync,
    tls: providerTlsOptions(connected.providerCaFile),
    timeouts: { connectMs: connected.connectTimeoutMs, commandMs: connected.commandTimeoutMs },
  });
  return { ...deps, mailboxes: withWriteThrough(deps.mailboxes, writes) };
}
