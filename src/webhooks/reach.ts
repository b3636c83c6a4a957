import type { PrivateDestinations } from "../config/webhooks.ts";

/** What one webhook request may reach (AGENTBOX_WEBHOOK_PRIVATE_DESTINATIONS, src/config/webhooks.ts). */
export interface Reach {
  privateAllowed: boolean;
}

/** The reach of an application's webhooks: `operator` says whether it is the operator's default one. */
export function reachOf(setting: PrivateDestinations, operator: boolean): Reach {
  return { privateAllowed: setting === "all" || (setting === "operator" && operator) };
}
