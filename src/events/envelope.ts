import type { EventRow } from "../store/schema.ts";

/**
 * The CloudEvents-style notification (reference §6.3) plus agentbox's `seq`: the event's
 * position in the log, the same number as the SSE `id:` and the events API cursor, so a receiver
 * can order notifications and notice a gap.
 */
export interface Envelope {
  specversion: "1.0";
  type: string;
  source: string;
  id: string;
  time: number;
  webhook_delivery_attempt?: number;
  seq: number;
  data: { application_id: string; grant_id: string | null; object: unknown } & Record<string, unknown>;
}

/**
 * Fields Nylas puts in `data`, beside the object, rather than in it: a failed send's `reason` and
 * `error` (its message.send_failed schema). The event records them with the object.
 */
const BESIDE_THE_OBJECT: Record<string, readonly string[]> = {
  "message.send_failed": ["reason", "error"],
};

/** Nylas truncates a notification over 1 MB: `.truncated` type, the object without `body`. */
export const MAX_NOTIFICATION_BYTES = 1024 * 1024;

/**
 * Nylas documents these sources (tracking's `/com/nylas/tracking` among them); the one for
 * agent-account mail is unspecified (reference §6.3).
 */
export function sourceOf(type: string): string {
  if (type === "grant.imap_sync_completed") return "/imap/emails/historic";
  if (type.startsWith("grant.")) return "/nylas/system";
  if (
    /^message\.(transactional\.)?(delivered|bounced|complaint|rejected|send_success|send_failed)$/.test(type)
  ) {
    return "/nylas/send";
  }
  if (/^(message\.(opened|link_clicked)|thread\.replied)(\.legacy)?$/.test(type))
    return "/com/nylas/tracking";
  if (type.startsWith("message.") || type.startsWith("folder.") || type.startsWith("thread.")) {
    return "/nylas/emails/realtime";
  }
  if (type.startsWith("event.") || type.startsWith("calendar.")) return "/nylas/calendar/realtime";
  return "/nylas/system";
}

export function envelopeOf(event: EventRow, object: unknown, id: string, attempt?: number): Envelope {
  return {
    specversion: "1.0",
    type: event.type,
    source: sourceOf(event.type),
    id,
    time: Math.floor(event.createdAtMs / 1000),
    ...(attempt !== undefined && { webhook_delivery_attempt: attempt }),
    seq: event.seq,
    data: dataOf(event.type, event.applicationId, event.grantId, object),
  };
}

/** The `data` of a notification: its application, grant and object (and what goes beside it). */
export function dataOf(
  type: string,
  applicationId: string,
  grantId: string | null,
  object: unknown,
): Envelope["data"] {
  const beside = BESIDE_THE_OBJECT[type];
  const data = { application_id: applicationId, grant_id: grantId };
  if (!beside || object === null || typeof object !== "object") return { ...data, object };
  const rest: Record<string, unknown> = { ...object };
  const lifted: Record<string, unknown> = {};
  for (const key of beside) {
    if (key in rest) lifted[key] = rest[key];
    delete rest[key];
  }
  return { ...data, ...lifted, object: rest };
}

/**
 * A notification within the size limit: over it, the type becomes `<type>.truncated` and the
 * object loses `body` (the receiver fetches the message). Returns the JSON text too.
 */
export function limitSize(envelope: Envelope): { envelope: Envelope; json: string; truncated: boolean } {
  const json = JSON.stringify(envelope);
  const object = envelope.data.object;
  if (Buffer.byteLength(json) <= MAX_NOTIFICATION_BYTES || !hasBody(object)) {
    return { envelope, json, truncated: false };
  }
  const { body: _body, ...rest } = object;
  const truncated: Envelope = {
    ...envelope,
    type: `${envelope.type}.truncated`,
    data: { ...envelope.data, object: rest },
  };
  return { envelope: truncated, json: JSON.stringify(truncated), truncated: true };
}

function hasBody(object: unknown): object is Record<string, unknown> & { body: unknown } {
  return object !== null && typeof object === "object" && "body" in object;
}
