import { rfc5322Date } from "./dsn.ts";

/** Who handed us a message and how: what a Received field records (RFC 5321 §4.4). */
export interface TraceInput {
  /** The name the client gave at EHLO/HELO ("" when it gave none). */
  helo: string;
  remoteAddress: string;
  /** Our host name. */
  hostname: string;
  /** RFC 3848: ESMTP, ESMTPS (TLS), ESMTPA (AUTH), ESMTPSA (both). */
  protocol: "ESMTP" | "ESMTPS" | "ESMTPA" | "ESMTPSA";
  /** The session id, as in our logs. */
  id: string;
  date?: Date;
}

/** The Received field as header lines without line endings (folded: the first line, then two). */
export function receivedLines(t: TraceInput): string[] {
  return [
    `Received: from ${t.helo || "unknown"} ([${t.remoteAddress}])`,
    `\tby ${t.hostname} (agentbox) with ${t.protocol} id ${t.id};`,
    `\t${rfc5322Date(t.date ?? new Date())}`,
  ];
}
