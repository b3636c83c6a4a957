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
  // The outbound queue (docs/api.md, "agentbox administration").
  "GET /v3/admin/outbound",
  "GET /v3/admin/outbound/{id}",
  "POST /v3/admin/outbound/{id}/retry",
  "DELETE /v3/admin/outbound/{id}",
  // Versions, listeners and counts for the status page (docs/api.md, "agentbox administration").
  "GET /v3/admin/status",
  // Every delivery attempt of a webhook, and a notification sent again (docs/api.md, "Webhooks").
  "GET /v3/webhooks/{id}/deliveries",
  "POST /v3/webhooks/{id}/deliveries/{notification}/resend",
  // An account's usage against its limits (docs/api.md, "Accounts").
  "GET /v3/grants/{grantId}/usage",
  // Importing an existing message as it is (docs/api.md, "Import").
  "POST /v3/grants/{grant_id}/messages/import",
  // Guardrails (issue 14): the rules' dry run, and a message held for review released (docs/api.md).
  "POST /v3/rules/evaluate",
  "POST /v3/grants/{grant_id}/messages/{message_id}/release",
  // Where a workspaces auto-group job stands (Nylas answers its POST with a job id only).
  "GET /v3/workspaces/auto-group/{job_id}",
  // An account's own allow and block lists, after AgentMail's per-inbox lists (docs/api.md).
  "GET /v3/grants/{grant_id}/lists/{direction}/{type}",
  "POST /v3/grants/{grant_id}/lists/{direction}/{type}",
  "GET /v3/grants/{grant_id}/lists/{direction}/{type}/{entry}",
  "DELETE /v3/grants/{grant_id}/lists/{direction}/{type}/{entry}",
]);

/**
 * Values agentbox adds to enums of Nylas's document (docs/api.md documents each): every enum of
 * the document that holds `alongside` also admits `values`, and nothing else is loosened.
 */
export const EXTENSION_ENUM_VALUES: { alongside: string; values: string[]; why: string }[] = [
  // Guardrails (issue 14).
  {
    alongside: "message.send_success",
    values: ["message.held", "message.released"],
    why: "webhook triggers of agentbox's own: a send held for review by an outbound rule, and its release",
  },
  // Wire fidelity (issue 19).
  {
    alongside: "contact.updated",
    values: ["contact.created"],
    why: "a webhook trigger of agentbox's own: a contact made through the API",
  },
  {
    alongside: "assign_to_folder",
    values: ["hold_for_review"],
    why: "an outbound rule action of agentbox's own: the send waits in the Review folder",
  },
];

/** Widens the document's enums by EXTENSION_ENUM_VALUES; answers the entries that found no enum. */
export function admitExtensionValues(doc: Record<string, any>): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
    } else if (node !== null && typeof node === "object") {
      const list = (node as { enum?: unknown }).enum;
      if (Array.isArray(list)) {
        for (const entry of EXTENSION_ENUM_VALUES) {
          if (!list.includes(entry.alongside)) continue;
          found.add(entry.alongside);
          for (const v of entry.values) if (!list.includes(v)) list.push(v);
        }
      }
      for (const v of Object.values(node)) visit(v);
    }
  };
  visit(doc);
  return EXTENSION_ENUM_VALUES.filter((e) => !found.has(e.alongside)).map((e) => e.alongside);
}

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
