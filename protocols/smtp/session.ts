/** Pieces every SMTP listener shares: reading DATA, connection limits, the envelope view. */
import type { SMTPServerDataStream, SMTPServerSession } from "smtp-server";
import { HeaderLimit } from "../../src/mail/header-limit.ts";
import { addressKey } from "../../src/security/address-key.ts";
import type { InboundEnvelope } from "../../src/smtp/policy.ts";
import { reply } from "./replies.ts";

/** What DATA brought: the message, or which limit it went over (the bytes beyond it were not kept). */
export type DataOutcome = { kind: "message"; raw: Buffer } | { kind: "too_big" } | { kind: "header_too_big" };

/** Reads the whole DATA stream, keeping it only while it stays within the size and header limits. */
export function readMessage(stream: SMTPServerDataStream, header: HeaderLimits): Promise<DataOutcome> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    const limit = new HeaderLimit(header.maxHeaderBytes, header.maxHeaderLines);
    stream.on("data", (chunk: Buffer) => {
      if (stream.sizeExceeded || limit.exceeded) return;
      if (limit.feed(chunk)) chunks = [];
      else chunks.push(chunk);
    });
    stream.on("end", () => {
      if (stream.sizeExceeded) resolve({ kind: "too_big" });
      else if (limit.exceeded) resolve({ kind: "header_too_big" });
      else resolve({ kind: "message", raw: Buffer.concat(chunks) });
    });
    stream.on("error", reject);
  });
}

export function tooBig(max: number) {
  return reply(552, "5.3.4", `message exceeds the maximum size of ${max} bytes`);
}

/** AGENTBOX_SMTP_MAX_HEADER_BYTES and AGENTBOX_SMTP_MAX_HEADER_LINES. */
export interface HeaderLimits {
  maxHeaderBytes: number;
  maxHeaderLines: number;
}

export function headerTooBig(limits: HeaderLimits) {
  return reply(
    552,
    "5.3.4",
    `message header exceeds the limits of ${limits.maxHeaderBytes} bytes and ${limits.maxHeaderLines} lines`,
  );
}

/** The SIZE a client declared at MAIL FROM, if any. */
export function declaredSize(session: SMTPServerSession): number | null {
  const args = session.envelope.mailFrom ? session.envelope.mailFrom.args : false;
  const size = args ? args.SIZE : undefined;
  return typeof size === "string" && /^\d+$/.test(size) ? Number(size) : null;
}

export function envelopeOf(session: SMTPServerSession): InboundEnvelope {
  const from = session.envelope.mailFrom;
  return {
    mailFrom: from ? from.address.toLowerCase() : "",
    declaredSize: declaredSize(session),
    remoteAddress: session.remoteAddress,
    helo: typeof session.hostNameAppearsAs === "string" ? session.hostNameAppearsAs : "",
    secure: session.secure,
  };
}

/**
 * Connections per client address on one listener: beyond `max`, a new one is refused with 421
 * at once (a flood of idle or garbage connections from one host cannot take every slot).
 */
export class ConnectionLimit {
  readonly #open = new Map<string, number>();
  readonly #counted = new WeakSet<object>();

  constructor(private readonly max: number) {}

  /** Counts the session, or returns the refusal. */
  enter(session: SMTPServerSession): Error | null {
    const ip = addressKey(session.remoteAddress);
    const n = this.#open.get(ip) ?? 0;
    if (n >= this.max) return reply(421, "4.7.0", `too many connections from ${ip}; try again later`);
    this.#open.set(ip, n + 1);
    this.#counted.add(session);
    return null;
  }

  leave(session: SMTPServerSession): void {
    if (!this.#counted.has(session)) return;
    this.#counted.delete(session);
    const ip = addressKey(session.remoteAddress);
    const n = (this.#open.get(ip) ?? 1) - 1;
    if (n <= 0) this.#open.delete(ip);
    else this.#open.set(ip, n);
  }
}
