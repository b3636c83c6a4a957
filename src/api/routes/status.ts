import { Elysia } from "elysia";
import type { Listener } from "../../status/listeners.ts";
import { serverStatus } from "../../status/server-status.ts";
import { callerOf } from "../auth.ts";
import type { ApiDeps } from "../deps.ts";
import { single } from "../http.ts";

/**
 * GET /v3/admin/status (agentbox extension): versions, listeners and the caller's application's
 * counts, for the dashboard's status page and any monitoring agent. Metrics stay on /metrics.
 */
export function statusRoutes(deps: ApiDeps & { listeners?: () => Listener[] }) {
  return new Elysia().get("/v3/admin/status", ({ request }) => {
    const s = serverStatus(deps.store, callerOf(request).applicationId, deps.listeners?.() ?? []);
    return single(request, {
      object: "status",
      versions: s.versions,
      uptime_seconds: s.uptimeSeconds,
      listeners: s.listeners,
      counts: {
        accounts: s.counts.accounts,
        domains: s.counts.domains,
        webhooks: s.counts.webhooks,
        messages: s.counts.messages,
        outbound_waiting: s.counts.outboundWaiting,
      },
    });
  });
}
