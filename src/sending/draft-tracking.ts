import type { CustomHeader, SendRequest, TrackingOptions } from "../mail/compose/request.ts";

/**
 * A draft's `tracking_options`, kept in its own MIME (the draft's only source of truth) as one
 * header field agentbox writes and reads back: base64url JSON, so any label survives any client.
 * Never sent: sending a draft composes it anew from the request, without this field, and applies
 * the options as a send's are applied.
 */
export const DRAFT_TRACKING_FIELD = "X-Agentbox-Draft-Tracking";

/** The request's custom headers with its tracking options carried along (none: as they were). */
export function withDraftTrackingField(req: SendRequest): SendRequest {
  const o = req.trackingOptions;
  const others = req.customHeaders.filter((h) => !isDraftTrackingField(h));
  if (!o || !(o.opens || o.links || o.threadReplies)) return { ...req, customHeaders: others };
  const value = Buffer.from(JSON.stringify(o)).toString("base64url");
  return { ...req, customHeaders: [...others, { name: DRAFT_TRACKING_FIELD, value }] };
}

/** A stored draft's request: its tracking options out of the field, the field out of its headers. */
export function takeDraftTrackingField(req: SendRequest): SendRequest {
  const field = req.customHeaders.find(isDraftTrackingField);
  if (!field) return req;
  const customHeaders = req.customHeaders.filter((h) => !isDraftTrackingField(h));
  const trackingOptions = decode(field.value);
  return { ...req, customHeaders, ...(trackingOptions && { trackingOptions }) };
}

function isDraftTrackingField(h: CustomHeader): boolean {
  return h.name.toLowerCase() === DRAFT_TRACKING_FIELD.toLowerCase();
}

/** What a client may have left in the field: only the four known options, of their types. */
function decode(value: string): TrackingOptions | null {
  try {
    const o = JSON.parse(Buffer.from(value.trim(), "base64url").toString("utf8")) as Record<string, unknown>;
    const options: TrackingOptions = {};
    if (typeof o.opens === "boolean") options.opens = o.opens;
    if (typeof o.links === "boolean") options.links = o.links;
    if (typeof o.threadReplies === "boolean") options.threadReplies = o.threadReplies;
    if (typeof o.label === "string") options.label = o.label;
    return options;
  } catch {
    return null;
  }
}
