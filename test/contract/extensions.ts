/**
 * The operations agentbox serves that Nylas's document does not have (docs/api.md documents each):
 * the contract test exercises them too, but has no Nylas schema to hold them to.
 */
export const EXTENSION_OPERATIONS = new Set([
  // The long-poll for new mail (docs/api.md, "Long-poll").
  "GET /v3/grants/{grant_id}/messages/wait",
  // What Nylas's Node SDK sends for connectors.update (its spec says PATCH, also served).
  "PUT /v3/connectors/{provider}",
  // Where notifications come from (docs/api.md, "Webhooks"): Nylas documents the path, not in its document.
  "GET /v3/webhooks/ip-addresses",
  // The event log and its stream (docs/api.md, "Event log").
  "GET /v3/events",
  "GET /v3/events/stream",
  // Administration of a self-hosted server (docs/api.md, "agentbox administration").
  "GET /v3/admin/applications",
  "POST /v3/admin/applications",
  "GET /v3/admin/api-keys",
  "POST /v3/admin/api-keys",
  "DELETE /v3/admin/api-keys/{id}",
  "GET /v3/admin/service-accounts",
  "POST /v3/admin/service-accounts",
  "DELETE /v3/admin/service-accounts/{id}",
]);

// Calendars (issue 15)
/**
 * The triggers agentbox records that Nylas does not have (docs/api.md, "event.starting /
 * event.ending"): a webhook may subscribe to them, so every trigger list of the document (the
 * `trigger_types` enums) takes them as well.
 */
export const EXTENSION_TRIGGERS = ["event.starting", "event.ending"];

/** Adds the extension triggers to every trigger enum of the document (one that lists `event.created`). */
export function allowExtensionTriggers(openapi: Record<string, any>): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const values = (node as { enum?: unknown }).enum;
    if (Array.isArray(values) && values.includes("event.created"))
      for (const trigger of EXTENSION_TRIGGERS) if (!values.includes(trigger)) values.push(trigger);
    for (const value of Object.values(node)) visit(value);
  };
  visit(openapi);
}
