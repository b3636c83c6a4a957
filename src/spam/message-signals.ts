import type { SpamConfig } from "../config/spam.ts";
import type { DnsResolver } from "../dns/resolver.ts";
import type { PolicySpamDetection } from "../guardrails/policies.ts";
import type { Logger } from "../log.ts";
import { dnsblListings } from "./dnsbl.ts";
import { headerAnomalies, type OriginVerdicts } from "./header-anomalies.ts";
import { rspamdSignals } from "./rspamd.ts";
import type { SpamSignal } from "./signal.ts";
import { type SpamVerdict, spamVerdict } from "./verdict.ts";

export interface SpamDeps {
  resolver: DnsResolver;
  config: SpamConfig;
  log: Logger;
}

export interface ScoredMessage {
  raw: Uint8Array;
  ip: string;
  helo: string;
  mailFrom: string;
  recipients: readonly string[];
  authentication: OriginVerdicts;
  nowS: number;
}

/**
 * One inbound message's spam signals, each family computed once however many recipients'
 * policies ask: the header checks, the DNS block lists, rspamd.
 */
export class MessageSpamSignals {
  private headerSignals: SpamSignal[] | null = null;
  private listings: Promise<SpamSignal[]> | null = null;
  private rspamdAnswer: Promise<SpamSignal[] | null> | null = null;

  constructor(
    private readonly deps: SpamDeps,
    private readonly message: ScoredMessage,
  ) {}

  /** The policy's verdict, or null when its spam detection is off. */
  async verdict(policy: PolicySpamDetection | null): Promise<SpamVerdict | null> {
    if (!policy || !(policy.use_header_anomaly_detection || policy.use_list_dnsbl)) return null;
    const signals: SpamSignal[] = [];
    if (policy.use_header_anomaly_detection) signals.push(...((await this.rspamd()) ?? this.headers()));
    if (policy.use_list_dnsbl) signals.push(...(await this.dnsbl()));
    return spamVerdict(signals, policy.spam_sensitivity ?? 1);
  }

  private headers(): SpamSignal[] {
    const m = this.message;
    this.headerSignals ??= headerAnomalies(m.raw, {
      authentication: m.authentication,
      helo: m.helo,
      nowS: m.nowS,
    });
    return this.headerSignals;
  }

  private dnsbl(): Promise<SpamSignal[]> {
    this.listings ??= dnsblListings(
      this.deps.resolver,
      this.message.ip,
      this.deps.config.dnsblZones,
      (zone, err) =>
        this.deps.log.warn(
          { zone, err: (err as Error).message },
          "DNSBL look-up failed; counted as not listed",
        ),
    );
    return this.listings;
  }

  /** rspamd's signals when it is configured and answers; null otherwise (agentbox's own checks then). */
  private rspamd(): Promise<SpamSignal[] | null> {
    const url = this.deps.config.rspamdUrl;
    if (url === null) return Promise.resolve(null);
    const m = this.message;
    this.rspamdAnswer ??= rspamdSignals(
      url,
      { raw: m.raw, ip: m.ip, helo: m.helo, mailFrom: m.mailFrom, recipients: m.recipients },
      this.deps.config.rspamdTimeoutMs,
    ).catch((err: unknown) => {
      this.deps.log.warn(
        { err: (err as Error).message },
        "rspamd did not answer; agentbox's own header checks used",
      );
      return null;
    });
    return this.rspamdAnswer;
  }
}
