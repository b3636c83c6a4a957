import { randomBytes } from "node:crypto";

/** One recipient's line of a delivery status notification. */
export interface DsnRecipient {
  address: string;
  /** RFC 3463 status, e.g. 5.1.1. */
  status: string;
  /** `smtp; 550 5.1.1 …` or `x-agentbox; …`. */
  diagnostic: string;
  /** The host that answered, when one did. */
  remoteMta: string | null;
}

export interface DsnInput {
  /** Our host name (Reporting-MTA, the MAILER-DAEMON address). */
  reportingMta: string;
  /** Who gets the report: the original envelope sender. */
  to: string;
  /** When the original message entered the queue. */
  arrivalDate: Date;
  recipients: DsnRecipient[];
  /** The original message; its header block is returned (text/rfc822-headers). */
  original: Uint8Array;
  /** Message-ID of the report (deterministic, so a repeat after a crash can be recognised). */
  messageId: string;
  /** Why: "could not be delivered" details for the human part. */
  summary?: string;
}

/**
 * A standard bounce (RFC 3464, RFC 6522): multipart/report with a human-readable part, the
 * machine-readable message/delivery-status, and the original message's header.
 */
export function buildDsn(input: DsnInput): Buffer {
  const boundary = `dsn-${randomBytes(12).toString("hex")}`;
  const crlf = "\r\n";
  const human = [
    `This is the mail system at ${input.reportingMta}.`,
    "",
    input.summary ??
      "Your message could not be delivered to one or more recipients. It has not been delivered and will not be retried.",
    "",
    ...input.recipients.map((r) => `<${r.address}>: ${oneLine(r.diagnostic.replace(/^[^;]*;\s*/, ""))}`),
    "",
  ];
  const perRecipient = input.recipients.map((r) =>
    [
      `Final-Recipient: rfc822; ${r.address}`,
      "Action: failed",
      `Status: ${r.status}`,
      ...(r.remoteMta ? [`Remote-MTA: dns; ${r.remoteMta}`] : []),
      `Diagnostic-Code: ${oneLine(r.diagnostic)}`,
    ].join(crlf),
  );
  const status = [
    [`Reporting-MTA: dns; ${input.reportingMta}`, `Arrival-Date: ${rfc5322Date(input.arrivalDate)}`].join(
      crlf,
    ),
    ...perRecipient,
  ].join(crlf + crlf);
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${input.reportingMta}>`,
    `To: <${input.to}>`,
    "Subject: Undelivered Mail Returned to Sender",
    `Date: ${rfc5322Date(new Date())}`,
    `Message-ID: ${input.messageId}`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
  ].join(crlf);
  const parts = [
    `${head}${crlf}${crlf}This is a MIME-encapsulated delivery status notification.${crlf}`,
    `--${boundary}${crlf}Content-Type: text/plain; charset=utf-8${crlf}Content-Description: Notification${crlf}${crlf}${human.join(crlf)}${crlf}`,
    `--${boundary}${crlf}Content-Type: message/delivery-status${crlf}Content-Description: Delivery report${crlf}${crlf}${status}${crlf}${crlf}`,
    `--${boundary}${crlf}Content-Type: text/rfc822-headers${crlf}Content-Description: Undelivered message headers${crlf}${crlf}`,
  ];
  return Buffer.concat([
    Buffer.from(parts.join(""), "utf8"),
    headerBlock(input.original),
    Buffer.from(`${crlf}--${boundary}--${crlf}`, "latin1"),
  ]);
}

/** The header block of a message (up to, not including, the empty line). */
export function headerBlock(raw: Uint8Array): Buffer {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : buf.length;
  return buf.subarray(0, end);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").slice(0, 900);
}

/** `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace("GMT", "+0000");
}
