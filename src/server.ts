import { mkdirSync } from "node:fs";
import { ChangeBus } from "../actors/bus.ts";
import { Mailboxes } from "../actors/mailboxes.ts";
import { startImap } from "../protocols/imap/server.ts";
import { SmtpListenError, type SmtpListeners, startSmtp } from "../protocols/smtp/server.ts";
import { failInterruptedAutoGroupJobs } from "./accounts/auto-group-jobs.ts";
import { syncAllGrantLimits, syncGrantLimits } from "./accounts/governed-limits.ts";
import { PasswordLogins } from "./accounts/password-login.ts";
import { SignOuts } from "./accounts/sign-outs.ts";
import { Authenticator } from "./api/auth.ts";
import { startHttp } from "./api/server.ts";
import { bootstrap, generateFirstKey } from "./bootstrap.ts";
import { EventClock } from "./calendar/clock.ts";
import type { Config } from "./config/config.ts";
import { bindCredentialKey, loadCredentialKey } from "./connected/credential-key.ts";
import { ConnectedSyncs } from "./connected/sync/registry.ts";
import { createResolver, mailauthResolver } from "./dns/resolver.ts";
import { EventStreams } from "./events/streams.ts";
import { Guardrails } from "./guardrails/governance.ts";
import { PendingEvaluations } from "./guardrails/record.ts";
import type { Logger } from "./log.ts";
import { addImapSortKeys } from "./maintenance/imap-sort-keys.ts";
import { addSearchGrantTokens } from "./maintenance/search-grant-tokens.ts";
import { Metrics } from "./metrics.ts";
import { RetentionSweeper } from "./retention/sweeper.ts";
import { ConnectionRate } from "./security/connection-rate.ts";
import { ReviewWatch } from "./sending/review.ts";
import { pendingScheduledSends } from "./sending/scheduled-store.ts";
import { ScheduledSender } from "./sending/scheduler.ts";
import { OutboundDelivery } from "./smtp/delivery/outbound-delivery.ts";
import { cachingResolver } from "./smtp/verify.ts";
import { describeListeners, type Listener } from "./status/listeners.ts";
import { Store } from "./store/store.ts";
import { loadOrCreateTls } from "./tls/load.ts";
import { WebhookDispatcher } from "./webhooks/dispatch/dispatcher.ts";
import { reachOf } from "./webhooks/reach.ts";

export interface RunningServer {
  config: Config;
  store: Store;
  mailboxes: Mailboxes;
  bus: ChangeBus;
  webhooks: WebhookDispatcher;
  metrics: Metrics;
  /** Bound ports, by listener name (useful when the configuration asked for port 0). */
  ports: { http: number; imaps: number; imap: number | null; smtps: number; submission: number; mx: number };
  /** Drains the outbound SMTP queue. */
  delivery: OutboundDelivery;
  /** Sends scheduled messages when they come due. */
  scheduler: ScheduledSender;
  /** Deletes what outlived a policy's retention periods. */
  retention: RetentionSweeper;
  /** What governs each account (policies, rules, workspaces). */
  guardrails: Guardrails;
  /** The sync actors of connected IMAP grants (src/connected/sync/). */
  connectedSync: ConnectedSyncs;
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
  bindCredentialKey(store, loadCredentialKey(config.dataDir, config.connected.secretKey));
  const defaultApplicationId = await bootstrap(store, config, log);
  const bus = new ChangeBus();
  const mailboxes = new Mailboxes(store, bus, log, config.actorIdleMs);
  const connectedSync = new ConnectedSyncs({
    store,
    mailboxes,
    log,
    providerCaFile: config.connected.providerCaFile,
  });
  const metrics = new Metrics();
  registerGauges(metrics, store, mailboxes);
  const streams = new EventStreams();
  const webhooks = new WebhookDispatcher(store, config.webhooks, log, metrics, streams, (applicationId) =>
    reachOf(config.webhooks.privateDestinations, applicationId === defaultApplicationId),
  );
  await webhooks.start();
  const resolver = createResolver(config.dnsServer ?? undefined);
  const delivery = new OutboundDelivery({
    store,
    mailboxes,
    log,
    hostname: config.hostname,
    smtp: config.smtp,
    relay: config.smtp.relay,
    resolver,
  });
  metrics.gauge("agentbox_smtp_outbound_in_flight", "Outbound SMTP transactions in progress", () => {
    return delivery.stats().active;
  });
  metrics.gauge("agentbox_smtp_outbound_claimed", "Outbound queue rows claimed by this process", () => {
    return delivery.stats().claimed;
  });
  /** A send queued mail for remote recipients: the outbound delivery looks at once. */
  const onQueued = () => delivery.wake();
  const guardrails = new Guardrails(store, config.limits);
  // Accounts' stored limits follow their policies: after every change, and once now.
  guardrails.onChanged = async (applicationId) => {
    const reload = await syncGrantLimits(store, guardrails, applicationId);
    for (const id of reload) if (mailboxes.system.isActive(id)) await mailboxes.ask(id, "reloadLimits", {});
  };
  await syncAllGrantLimits(store, guardrails);
  await failInterruptedAutoGroupJobs(store);
  // A held message is released when moved to Outbox: its account is watched from its first hold.
  let reviewWatch: ReviewWatch | null = null;
  const onHeld = (grantId: string) => reviewWatch?.watch(grantId);
  const scheduler = new ScheduledSender({ store, mailboxes, config, log, onQueued, guardrails, onHeld });
  let ready = false;
  let listeners: Listener[] = [];
  const deps = {
    config,
    store,
    mailboxes,
    guardrails,
    bus,
    webhooks,
    streams,
    log,
    resolver,
    onQueued,
    /** A send was scheduled: the scheduler re-arms its timer. */
    onScheduled: () => void scheduler.wake(),
    onHeld,
    defaultApplicationId,
    connectedSync,
    auth: new Authenticator(store, defaultApplicationId),
    /** App-password logins of IMAP, SMTP submission and CalDAV: one budget of wrong guesses. */
    logins: new PasswordLogins(store, config.logins),
    signOuts: new SignOuts(),
    /** New IMAP and SMTP connections per client address, one budget for both. */
    connectionRate: new ConnectionRate(config.limits.connectionRatePerS, config.limits.connectionBurst),
    metrics,
    isReady: () => ready,
    /** What is bound, for GET /v3/admin/status (known once every listener is). */
    listeners: () => listeners,
  };
  reviewWatch = new ReviewWatch(deps);
  reviewWatch.start();
  const http = listen("HTTP", "AGENTBOX_HTTP_PORT", config.ports.http, config.host, () =>
    startHttp(deps, config.ports.http, config.host),
  );
  const imap = await startImap({
    config,
    store,
    mailboxes,
    bus,
    log,
    tls,
    logins: deps.logins,
    signOuts: deps.signOuts,
    guardrails: deps.guardrails,
    connectionRate: deps.connectionRate,
  }).catch((err) => {
    // The IMAP listener names the port that failed (993 or the plain one).
    const { variable = "AGENTBOX_IMAPS_PORT", port = config.ports.imaps } = err as {
      variable?: string;
      port?: number;
    };
    throw listenError("IMAP", variable, config.host, port, err);
  });
  metrics.gauge("agentbox_imap_sessions", "IMAP connections open", () => imap.context.registry.size);
  let smtp: SmtpListeners;
  try {
    smtp = await startSmtpListeners(config, log, deps, tls);
  } catch (err) {
    await imap.stop();
    await http.stop();
    throw err;
  }
  await delivery.start(config.smtp.hold);
  await scheduler.start();
  await generateFirstKey(store, config, defaultApplicationId);
  const eventClock = new EventClock(store, log);
  eventClock.start();
  const retention = new RetentionSweeper(
    { store, mailboxes, guardrails, log, metrics },
    { intervalMs: 3600_000, firstDelayMs: 60_000, batch: 500, clock: () => Math.floor(Date.now() / 1000) },
  );
  retention.start();
  listeners = describeListeners(config.host, {
    http: http.port ?? config.ports.http,
    imaps: imap.ports.imaps,
    imap: imap.ports.imap,
    ...smtp.ports,
  });
  await connectedSync.startAll();
  ready = true;
  // Background work a migration left (only once everything listens: a failed start has none to stop).
  const maintenance = new AbortController();
  const reindexing = addSearchGrantTokens(
    store,
    (raw) => mailboxes.prepare(raw),
    log,
    maintenance.signal,
  ).catch((err) => log.error({ err }, "search index: adding account tokens failed; the next start resumes"));
  const sortKeysFilling = addImapSortKeys(store, log, maintenance.signal).catch((err) =>
    log.error({ err }, "imap sort keys: filling failed; the next start resumes"),
  );
  log.info(
    {
      http: http.port,
      imaps: imap.ports.imaps,
      imap: imap.ports.imap,
      ...smtp.ports,
      host: config.host,
      dataDir: config.dataDir,
    },
    "agentbox ready",
  );

  return {
    config,
    store,
    mailboxes,
    bus,
    webhooks,
    metrics,
    ports: {
      http: http.port ?? config.ports.http,
      imaps: imap.ports.imaps,
      imap: imap.ports.imap,
      ...smtp.ports,
    },
    delivery,
    scheduler,
    retention,
    guardrails,
    connectedSync,
    tls: { cert: tls.cert, key: tls.key },
    async stop() {
      ready = false;
      await imap.stop();
      streams.closeAll();
      await smtp.stop();
      await http.stop();
      await scheduler.stop();
      await eventClock.stop();
      await reviewWatch?.stop();
      await retention.stop();
      await connectedSync.shutdown();
      await delivery.stop();
      maintenance.abort();
      await reindexing;
      await sortKeysFilling;
      await mailboxes.shutdown();
      await webhooks.stop();
      await store.close();
      log.info("agentbox stopped");
    },
  };
}

/** The SMTP listeners (submission 465/587, MX 25); a port that cannot be bound is a ListenError. */
async function startSmtpListeners(
  config: Config,
  log: Logger,
  deps: Parameters<typeof startHttp>[0] & {
    onQueued: () => void;
    logins: PasswordLogins;
    guardrails: Guardrails;
    connectionRate: ConnectionRate;
  },
  tls: { cert: string; key: string },
): Promise<SmtpListeners> {
  try {
    return await startSmtp({
      hostname: config.hostname,
      host: config.host,
      ports: { smtps: config.ports.smtps, submission: config.ports.submission, mx: config.ports.mx },
      tls,
      smtp: config.smtp,
      maxMessageBytes: config.limits.maxMessageBytes,
      connectionRate: deps.connectionRate,
      log,
      submission: deps,
      inbound: {
        store: deps.store,
        mailboxes: deps.mailboxes,
        log,
        hostname: config.hostname,
        authResolver: cachingResolver(mailauthResolver(deps.resolver)),
        spam: { resolver: deps.resolver, config: config.spam, log },
        policy: {
          store: deps.store,
          maxMessageBytes: config.limits.maxMessageBytes,
          guardrails: deps.guardrails,
          evaluations: new PendingEvaluations(deps.store, (err) =>
            log.error({ err }, "rule evaluations at RCPT not recorded"),
          ),
        },
        onQueued: deps.onQueued,
      },
    });
  } catch (err) {
    if (err instanceof SmtpListenError) throw new ListenError(err.message);
    throw err;
  }
}

/** Binds one listener or fails with a message that names the port and its variable. */
function listen<T>(what: string, variable: string, port: number, host: string, bind: () => T): T {
  try {
    return bind();
  } catch (err) {
    throw listenError(what, variable, host, port, err);
  }
}

/** `cannot listen for HTTP on 127.0.0.1:3000 (AGENTBOX_HTTP_PORT): address already in use` */
function listenError(what: string, variable: string, host: string, port: number, err: unknown): ListenError {
  const reason =
    (err as { code?: string }).code === "EADDRINUSE" ? "address already in use" : (err as Error).message;
  return new ListenError(`cannot listen for ${what} on ${host}:${port} (${variable}): ${reason}`);
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
  metrics.gauge("agentbox_scheduled_sends_pending", "Scheduled sends waiting for their time", () =>
    pendingScheduledSends(store),
  );
}
