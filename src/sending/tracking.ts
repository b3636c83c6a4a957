import { ComposeError, type SendRequest } from "../mail/compose/request.ts";
import { instrumentHtml, newTrackingToken, type TrackingRequest } from "../tracking/instrument.ts";

/**
 * What a send's `tracking_options` do (Nylas's message tracking): `opens` adds a 1×1 image and
 * `links` routes every http(s) link through a redirect, both served by this server at
 * AGENTBOX_PUBLIC_URL; `thread_replies` watches for replies. Returns the request with its body
 * instrumented and what to record with the Sent copy; null when nothing is tracked. Refused (400):
 * opens or links without AGENTBOX_PUBLIC_URL, or on a plain-text body (no HTML to carry them).
 */
export function withTracking(
  publicUrl: string | null,
  req: SendRequest,
): { req: SendRequest; tracking: TrackingRequest | null } {
  const options = req.trackingOptions;
  const opens = options?.opens ?? false;
  const links = options?.links ?? false;
  const threadReplies = options?.threadReplies ?? false;
  if (!opens && !links && !threadReplies) return { req, tracking: null };
  const field = opens ? "tracking_options.opens" : "tracking_options.links";
  if ((opens || links) && !publicUrl) {
    throw new ComposeError(
      field,
      `${field} needs AGENTBOX_PUBLIC_URL (the URL mail clients reach this server at), which the operator has not set`,
    );
  }
  if ((opens || links) && req.isPlaintext) {
    throw new ComposeError(
      field,
      `${field} needs an HTML body: a plain-text message cannot carry a pixel or a redirect`,
    );
  }
  const token = newTrackingToken();
  const instrumented =
    opens || links ? instrumentHtml(req.body, publicUrl as string, token, { opens, links }) : null;
  return {
    req: instrumented ? { ...req, body: instrumented.html } : req,
    tracking: {
      token,
      opens,
      links,
      threadReplies,
      label: options?.label ?? null,
      linkUrls: instrumented?.linkUrls ?? [],
    },
  };
}
