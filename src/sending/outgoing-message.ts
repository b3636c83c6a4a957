import type { Flags } from "../domain/flags.ts";
import type { TrackingRequest } from "../tracking/instrument.ts";

/** A composed message ready to leave the account, whichever way it was written. */
export interface Outgoing {
  /** The Sent copy: what the sender keeps (Bcc included). */
  sentRaw: Uint8Array;
  /** What recipients get: the same bytes without Bcc. */
  deliveryRaw: Uint8Array;
  /** Envelope recipients, lower-cased and unique. */
  recipients: string[];
  metadata?: Record<string, string>;
  flags?: Partial<Flags>;
  /** Sending a draft (the version composed): it leaves Drafts, its id goes to the Sent copy. */
  draft?: { id: string; uid: number };
  /** The message this one answers, to mark \Answered. */
  answeredId?: string;
  /** A scheduled send coming due (see SendCommand). */
  scheduled?: { scheduleId: string; messageId: string };
  /** A message held for review, being released: a hold_for_review rule does not hold it again. */
  held?: { id: string };
  /** tracking_options, recorded with the Sent copy (src/sending/tracking.ts). */
  tracking?: TrackingRequest;
}
