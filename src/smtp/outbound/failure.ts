/**
 * Why a delivery attempt did not succeed: temporary (retry later: 4xx, no connection, DNS
 * failure) or permanent (bounce: 5xx, no such domain), with the RFC 3463 status and, when a
 * server answered, its reply (the Diagnostic-Code of a bounce).
 */
export class DeliveryFailure extends Error {
  constructor(
    readonly kind: "temporary" | "permanent",
    /** RFC 3463 status, e.g. 5.1.1. */
    readonly status: string,
    message: string,
    /** The remote server's reply, when one was received ("550 5.1.1 …"). */
    readonly reply: string | null = null,
    /** The host that answered. */
    readonly remoteHost: string | null = null,
  ) {
    super(message);
    this.name = "DeliveryFailure";
  }

  /** The Diagnostic-Code of a DSN: the SMTP reply when there was one, else our own text. */
  diagnostic(): string {
    return this.reply ? `smtp; ${this.reply}` : `x-agentbox; ${this.message}`;
  }
}

const ENHANCED = /^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/;

/** A nodemailer error (or one reply of a rejected recipient) as a DeliveryFailure. */
export function classify(err: unknown, host: string): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const reply = typeof e.response === "string" ? e.response.replace(/[\r\n]+/g, " ").trim() : null;
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  if (code !== null && code >= 400 && code < 600) {
    const kind = code >= 500 ? "permanent" : "temporary";
    const status = (reply && ENHANCED.exec(reply)?.[1]) || (kind === "permanent" ? "5.0.0" : "4.0.0");
    return new DeliveryFailure(
      kind,
      status,
      `${host} answered: ${reply ?? code}`,
      reply ?? String(code),
      host,
    );
  }
  const what = e.code ? `${e.code}: ${e.message ?? ""}` : (e.message ?? String(err));
  return new DeliveryFailure(
    "temporary",
    "4.4.1",
    `no usable answer from ${host} (${what.trim()})`,
    null,
    host,
  );
}
