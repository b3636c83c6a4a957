import { and, count, eq, inArray, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { domains, grants, messages, outboundQueue, webhooks } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import type { Listener } from "./listeners.ts";

/** What the status page shows: versions, the listeners, and the caller's application's counts. */
export interface ServerStatus {
  versions: { agentbox: string; bun: string; sqlite: string; schema: number };
  uptimeSeconds: number;
  listeners: Listener[];
  counts: { accounts: number; domains: number; webhooks: number; messages: number; outboundWaiting: number };
}

function countOf(store: Store, table: SQLiteTable, where: SQL | undefined): number {
  return store.read.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}

export function serverStatus(store: Store, applicationId: string, listeners: Listener[]): ServerStatus {
  const client = store.read.$client;
  const sqlite = client.prepare("SELECT sqlite_version() AS v").get() as { v: string };
  const schema = client.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number };
  const ownGrants = store.read
    .select({ id: grants.id })
    .from(grants)
    .where(eq(grants.applicationId, applicationId));
  return {
    versions: { agentbox: VERSION, bun: Bun.version, sqlite: sqlite.v, schema: schema.v },
    uptimeSeconds: Math.floor(process.uptime()),
    listeners,
    counts: {
      accounts: countOf(store, grants, eq(grants.applicationId, applicationId)),
      domains: countOf(store, domains, eq(domains.applicationId, applicationId)),
      webhooks: countOf(store, webhooks, eq(webhooks.applicationId, applicationId)),
      messages: countOf(store, messages, inArray(messages.grantId, ownGrants)),
      outboundWaiting: countOf(
        store,
        outboundQueue,
        and(eq(outboundQueue.applicationId, applicationId), eq(outboundQueue.status, "queued")),
      ),
    },
  };
}
