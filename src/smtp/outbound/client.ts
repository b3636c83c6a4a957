import { isIP } from "node:net";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { Logger } from "../../log.ts";
import { classify, DeliveryFailure } from "./failure.ts";
import type { Hop } from "./route.ts";

/** How one SMTP transaction went: per-recipient, since a server may take some and refuse others. */
export interface TransactionResult {
  accepted: string[];
  refused: { rcpt: string; failure: DeliveryFailure }[];
  /** The host that took it and its last reply. */
  host: string;
  response: string;
}

export interface ClientOptions {
  /** Our EHLO name. */
  hostname: string;
  timeoutMs: number;
  /** Connections kept open per hop (the per-destination limit sits above, in the outbound delivery). */
  connectionsPerHop: number;
  log: Logger;
}

interface PooledTransport {
  mail: Mail;
  lastUsed: number;
  /** Transactions in progress on it: a pool in use is never swept. */
  busy: number;
}

const IDLE_POOL_MS = 60_000;

/**
 * The outbound SMTP client: nodemailer's pooled transports, one per hop (address, port, TLS
 * mode), reused across messages and closed after a minute unused. Opportunistic STARTTLS for MX
 * hosts (an unverifiable certificate still encrypts; a failed handshake is retried in plaintext
 * once), verified TLS for an authenticated or smtps:// relay.
 */
export class OutboundClient {
  readonly #pools = new Map<string, PooledTransport>();
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly opts: ClientOptions) {
    this.#sweeper = setInterval(() => this.#sweep(IDLE_POOL_MS), 15_000);
    this.#sweeper.unref?.();
  }

  /**
   * Tries the hops in order: the next one only when this one could not be reached or said 421
   * (a server that answered decides for the destination).
   */
  async send(
    hops: Hop[],
    envelope: { from: string; to: string[] },
    raw: Uint8Array,
  ): Promise<TransactionResult> {
    let last: DeliveryFailure | null = null;
    for (const hop of hops) {
      try {
        return await this.#attempt(hop, envelope, raw, false);
      } catch (err) {
        let failure = classify(err, hop.name);
        if ((err as { code?: string }).code === "ETLS" && !hop.verifyTls && !hop.secure) {
          try {
            return await this.#attempt(hop, envelope, raw, true);
          } catch (again) {
            failure = classify(again, hop.name);
          }
        }
        last = failure;
        const reachedAndDecided = failure.reply !== null && !failure.reply.startsWith("421");
        if (reachedAndDecided) throw failure;
      }
    }
    throw last ?? new DeliveryFailure("temporary", "4.4.4", "no mail host to try");
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#sweep(-1);
  }

  async #attempt(
    hop: Hop,
    envelope: { from: string; to: string[] },
    raw: Uint8Array,
    plaintext: boolean,
  ): Promise<TransactionResult> {
    const pooled = this.#transport(hop, plaintext);
    pooled.busy++;
    let info: unknown;
    try {
      info = await pooled.mail.sendMail({
        envelope: { from: envelope.from, to: envelope.to },
        raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
      });
    } finally {
      pooled.busy--;
      pooled.lastUsed = Date.now();
    }
    const errors = (info as { rejectedErrors?: unknown[] }).rejectedErrors ?? [];
    const refused = errors.map((e) => ({
      rcpt: String((e as { recipient?: string }).recipient ?? ""),
      failure: classify(e, hop.name),
    }));
    const refusedSet = new Set(refused.map((r) => r.rcpt.toLowerCase()));
    return {
      accepted: envelope.to.filter((r) => !refusedSet.has(r.toLowerCase())),
      refused,
      host: hop.name,
      response: String((info as { response?: string }).response ?? ""),
    };
  }

  #transport(hop: Hop, plaintext: boolean): PooledTransport {
    const key = `${hop.name}|${hop.address}|${hop.port}|${hop.secure}|${hop.auth?.user ?? ""}|${plaintext}`;
    const found = this.#pools.get(key);
    if (found) return found;
    const mail = nodemailer.createTransport({
      pool: true,
      host: hop.address,
      port: hop.port,
      secure: hop.secure,
      name: this.opts.hostname,
      maxConnections: this.opts.connectionsPerHop,
      maxMessages: 1000,
      ignoreTLS: plaintext,
      opportunisticTLS: !hop.verifyTls,
      requireTLS: hop.verifyTls && !hop.secure,
      ...(hop.auth && { auth: { user: hop.auth.user, pass: hop.auth.pass } }),
      // SNI takes a host name, never an address (an IP relay is verified against its IP SAN).
      tls: { ...(!isIP(hop.name) && { servername: hop.name }), rejectUnauthorized: hop.verifyTls },
      connectionTimeout: this.opts.timeoutMs,
      greetingTimeout: this.opts.timeoutMs,
      socketTimeout: this.opts.timeoutMs,
      dnsTimeout: this.opts.timeoutMs,
      logger: false,
    } as Parameters<typeof nodemailer.createTransport>[0]) as Mail;
    mail.on("error", (err: Error) =>
      this.opts.log.debug({ err: err.message, host: hop.name }, "smtp pool error"),
    );
    const pooled = { mail, lastUsed: Date.now(), busy: 0 };
    this.#pools.set(key, pooled);
    return pooled;
  }

  #sweep(idleMs: number): void {
    const now = Date.now();
    for (const [key, pooled] of this.#pools) {
      if (idleMs < 0 || (pooled.busy === 0 && now - pooled.lastUsed > idleMs)) {
        pooled.mail.close();
        this.#pools.delete(key);
      }
    }
  }
}
