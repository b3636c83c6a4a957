/** Pieces every SMTP listener shares: reading DATA, connection limits, the envelope view. */
import type { SMTPServerDataStream, SMTPServerSession } from "smtp-server";
import type { InboundEnvelope } from "../../src/smtp/policy.ts";
import { reply } from "./replies.ts";

/** Reads the whole DATA stream; null when it went over the size limit (bytes beyond it are not kept). */
export function readMessage(stream: SMTPServerDataStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => {
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.on("end", () => resolve(stream.sizeExceeded ? null : Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export function tooBig(max: number) {
  return reply(552, "5.3.4", `message exceeds the maximum size of ${max} bytes`);
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
    const ip = session.remoteAddress;
    const n = this.#open.get(ip) ?? 0;
    if (n >= this.max) return reply(421, "4.7.0", `too many connections from ${ip}; try again later`);
    this.#open.set(ip, n + 1);
    this.#counted.add(session);
    return null;
  }

  leave(session: SMTPServerSession): void {
    if (!this.#counted.has(session)) return;
    this.#counted.delete(session);
    const ip = session.remoteAddress;
    const n = (this.#open.get(ip) ?? 1) - 1;
    if (n <= 0) this.#open.delete(ip);
    else this.#open.set(ip, n);
  }
}
