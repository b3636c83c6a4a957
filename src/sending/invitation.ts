/**
 * Invitations over mail (iMIP, RFC 6047): an iTIP message (src/calendar/itip.ts) as a
 * `text/calendar; method=…` part beside a text and an HTML part, sent from the account through
 * the normal send path (daily quota, Sent copy, hosted recipients delivered at once).
 */
import type { ParticipantStatus } from "../calendar/event-fields.ts";
import { type ItipEvent, type ItipMethod, itipText } from "../calendar/itip.ts";
import { spanOf } from "../calendar/when.ts";
import { MailboxError } from "../domain/errors.ts";
import type { GrantRow } from "../store/schema.ts";
import type { SendingDeps } from "./deps.ts";
import { sendRawMime } from "./raw-send.ts";

export interface Addressee {
  email: string;
  name?: string;
}

/** What went wrong sending the iTIP message, as send-rsvp reports it; null when it went out. */
export type SendIcsError = { type: string; message: string } | null;

const REPLY_WORD: Record<ParticipantStatus, string> = {
  yes: "Accepted",
  no: "Declined",
  maybe: "Tentatively accepted",
  noreply: "Not yet answered",
};

/**
 * Sends `method` for `event` to `to` (the account itself left out). Never throws: the event's
 * change is already committed, so a refusal (over the daily quota: skipped, as Nylas does) is
 * returned for the caller to report or log.
 */
export async function sendItip(
  deps: SendingDeps,
  grant: GrantRow,
  method: ItipMethod,
  event: ItipEvent,
  to: Addressee[],
  replier?: { email: string; name?: string; status: ParticipantStatus },
): Promise<SendIcsError> {
  const recipients = to.filter((a) => a.email.toLowerCase() !== grant.email.toLowerCase());
  if (recipients.length === 0) return null;
  try {
    const mime = invitationMime(grant, method, event, recipients, replier);
    await sendRawMime(deps, grant, new TextEncoder().encode(mime));
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const type =
      error instanceof MailboxError && error.code === "rate_limited" ? "quota_exceeded" : "send_failed";
    deps.log.warn({ grantId: grant.id, method, type }, "calendar message not sent");
    return { type, message };
  }
}

function subjectOf(method: ItipMethod, title: string, sequence: number, status?: ParticipantStatus): string {
  if (method === "CANCEL") return `Canceled event: ${title}`;
  if (method === "REPLY") return `${REPLY_WORD[status ?? "noreply"]}: ${title}`;
  return `${sequence > 0 ? "Updated invitation" : "Invitation"}: ${title}`;
}

export function invitationMime(
  grant: GrantRow,
  method: ItipMethod,
  event: ItipEvent,
  to: Addressee[],
  replier?: { email: string; name?: string; status: ParticipantStatus },
): string {
  const title = event.fields.title || "(no title)";
  const subject = subjectOf(method, title, event.sequence, replier?.status);
  const span = spanOf(event.fields.when);
  const lines = [
    subject,
    "",
    `When: ${new Date(span.start * 1000).toUTCString()} – ${new Date(span.end * 1000).toUTCString()}`,
    ...(event.fields.location ? [`Where: ${event.fields.location}`] : []),
    ...(event.fields.organizer ? [`Organizer: ${event.fields.organizer.email}`] : []),
    ...(event.fields.description ? ["", event.fields.description] : []),
  ];
  const text = `${lines.join("\r\n")}\r\n`;
  const html = `<!doctype html><html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}</body></html>\r\n`;
  const ics = itipText(method, event, replier);
  const boundary = `=_itip_${crypto.randomUUID()}`;
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(body),
      "",
    ].join("\r\n");
  return [
    `From: ${mailbox(grant.email, grant.name ?? undefined)}`,
    `To: ${to.map((a) => mailbox(a.email, a.name)).join(", ")}`,
    `Subject: ${encodeWord(subject)}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    part("text/plain; charset=utf-8", text),
    part("text/html; charset=utf-8", html),
    part(`text/calendar; charset=utf-8; method=${method}`, ics),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

function mailbox(email: string, name: string | undefined): string {
  if (!name) return `<${email}>`;
  const clean = name.replace(/["\\\r\n]/g, "");
  const encoded = encodeWord(clean);
  return `${encoded === clean ? `"${clean}"` : encoded} <${email}>`;
}

/** An RFC 2047 encoded word when the text is not plain printable ASCII. */
function encodeWord(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean).toString("base64")}?=`;
}

function base64Lines(body: string): string {
  return (
    Buffer.from(body)
      .toString("base64")
      .match(/.{1,76}/g) ?? []
  ).join("\r\n");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}
