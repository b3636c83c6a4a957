import { mkdirSync } from "node:fs";
import { ChangeBus } from "../actors/bus.ts";
import { Mailboxes } from "../actors/mailboxes.ts";
import { OutboxActor } from "../actors/outbox/actor.ts";
import { Authenticator } from "./api/auth.ts";
import { startHttp } from "./api/server.ts";
import { bootstrap } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import { createResolver } from "./dns/resolver.ts";
import type { Logger } from "./log.ts";
import { Metrics } from "./metrics.ts";
import { Store } from "./store/store.ts";
import { loadOrCreateTls } from "./tls/load.ts";

export interface RunningServer {
  config: Config;
  store: Store;
  mailboxes: Mailboxes;
  bus: ChangeBus;
  outbox: OutboxActor;
  metrics: Metrics;
  /** Bound ports, by listener name (useful when the configuration asked for port 0). */
  ports: { http: number };
  tls: { cert: string; key: string };
  stop(): Promise<void>;
}

export class ListenError extends Error {}

/** Starts everything on one process; resolves once every listener is bound and migrations ran. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const [store, tls] = await Promise.all([
    Store.open(config.databaseUrl, log),
    loadOrCreateTls({
      dataDir: config.dataDir,
      hostname: config.hostname,
      ...(config.tlsCertPath && { certPath: config.tlsCertPath }),
      ...(config.tlsKeyPath && { keyPath: config.tlsKeyPath }),
    }),
  ]);
  const defaultApplicationId = await bootstrap(store, config, log);
  const bus = new ChangeBus();
  const mailboxes = new Mailboxes(store, bus, log, config.actorIdleMs);
  const metrics = new Metrics();
  registerGauges(metrics, store, mailboxes);
  const outbox = new OutboxActor(store, config.webhooks, log, metrics);
  await outbox.start();
  let ready = false;
  const deps = {
    config,
    store,
    mailboxes,
    bus,
    outbox,
    log,
    resolver: createResolver(config.dnsServer ?? undefined),
    defaultApplicationId,
    auth: new Authenticator(store, defaultApplicationId),
    metrics,
    isReady: () => ready,
  };
  const http = listen("HTTP", "AGENTBOX_HTTP_PORT", config.ports.http, config.host, () =>
    startHttp(deps, config.ports.http, config.host),
  );
  ready = true;
  log.info({ http: http.port, host: config.host, dataDir: config.dataDir }, "agentbox ready");

  return {
    config,
    store,
    mailboxes,
    bus,
    outbox,
    metrics,
    ports: { http: http.port ?? config.ports.http },
    tls: { cert: tls.cert, key: tls.key },
    async stop() {
      ready = false;
      outbox.closeStreams();
      await http.stop();
      await mailboxes.shutdown();
      await outbox.stop();
      await store.close();
      log.info("agentbox stopped");
    },
  };
}

/** Binds one listener or fails with a message that names the port and its variable. */
function listen<T>(what: string, variable: string, port: number, host: string, bind: () => T): T {
  try {
    return bind();
  } catch (err) {
    const reason =
      (err as { code?: string }).code === "EADDRINUSE" ? "address already in use" : (err as Error).message;
    throw new ListenError(`cannot listen for ${what} on ${host}:${port} (${variable}): ${reason}`);
  }
}

function registerGauges(metrics: Metrics, store: Store, mailboxes: Mailboxes): void {
  metrics.gauge("agentbox_actors_active", "Mailbox actors currently in memory", () => mailboxes.system.size);
  metrics.gauge(
    "agentbox_store_commits_total",
    "Store transactions committed",
    () => store.writer.stats().commits,
  );
  metrics.gauge("agentbox_store_units_total", "Units of work committed", () => store.writer.stats().units);
  metrics.gauge("agentbox_process_rss_bytes", "Resident set size", () => process.memoryUsage.rss());
}
