import { type Attachment, attachmentFromFile, type FilePart, parseJsonAttachments } from "./attachments.ts";
import { type CustomHeader, parseCustomHeaders } from "./custom-headers.ts";
import { ComposeError } from "./errors.ts";
import {
  type Json,
  optionalBoolean,
  optionalHeaderText,
  optionalString,
  rejectUnknownKeys,
  requireObjectAt,
} from "./fields.ts";
import {
  parseMetadata,
  parseSendAt,
  parseTemplate,
  parseTrackingOptions,
  type TemplateRef,
  type TrackingOptions,
} from "./message-options.ts";
import { type Participant, parseParticipants } from "./participants.ts";

export type { Attachment, CustomHeader, FilePart, Participant, TemplateRef, TrackingOptions };
export { ComposeError };

/** A validated Nylas send (`POST .../messages/send`) or draft (`POST/PUT .../drafts`) body. */
export interface SendRequest {
  to: Participant[];
  cc: Participant[];
  bcc: Participant[];
  replyTo: Participant[];
  /** Empty, or the one address to send as; composeMime checks it is the account's own. */
  from: Participant[];
  subject: string;
  body: string;
  isPlaintext: boolean;
  replyToMessageId?: string;
  /** JSON attachments first, then the form's file parts, in arrival order. */
  attachments: Attachment[];
  customHeaders: CustomHeader[];
  metadata: Record<string, string>;
  sendAt?: number;
  useDraft?: boolean;
  starred?: boolean;
  unread?: boolean;
  /** Accepted and kept (drafts echo them back) but never acted on. */
  trackingOptions?: TrackingOptions;
  signatureId?: string;
  template?: TemplateRef;
}

export interface SendRequestInput {
  /** The JSON body, or the parsed `message`/`draft` part of a multipart request. */
  json: unknown;
  files?: FilePart[];
}

export interface SendRequestOptions {
  forDraft: boolean;
  /** Ceiling on to + cc + bcc entries (Nylas: 50). */
  maxRecipients: number;
}

const COMMON_FIELDS = [
  "to",
  "cc",
  "bcc",
  "reply_to",
  "from",
  "subject",
  "body",
  "is_plaintext",
  "reply_to_message_id",
  "attachments",
  "custom_headers",
  "metadata",
  "send_at",
  "tracking_options",
  "signature_id",
  "template",
  "starred",
];
const SEND_FIELDS = [...COMMON_FIELDS, "use_draft"];
const DRAFT_FIELDS = [...COMMON_FIELDS, "unread"];

export function parseSendRequest(input: SendRequestInput, opts: SendRequestOptions): SendRequest {
  const json = requireObjectAt(input.json ?? {}, "request body", "a JSON object");
  rejectUnknownKeys(json, opts.forDraft ? DRAFT_FIELDS : SEND_FIELDS);
  const request: SendRequest = {
    ...parseAddressing(json, opts),
    ...parseContent(json),
    attachments: [...parseJsonAttachments(json), ...(input.files ?? []).map(attachmentFromFile)],
    customHeaders: parseCustomHeaders(json),
    metadata: parseMetadata(json.metadata),
    sendAt: parseSendAt(json.send_at),
    useDraft: optionalBoolean(json, "use_draft", "use_draft"),
    starred: optionalBoolean(json, "starred", "starred"),
    unread: optionalBoolean(json, "unread", "unread"),
    trackingOptions: parseTrackingOptions(json.tracking_options),
    signatureId: optionalString(json, "signature_id", "signature_id", 256),
    template: parseTemplate(json.template),
  };
  return dropUndefined(request);
}

type Addressing = Pick<SendRequest, "to" | "cc" | "bcc" | "replyTo" | "from">;

function parseAddressing(json: Json, opts: SendRequestOptions): Addressing {
  const addressing: Addressing = {
    to: parseParticipants(json, "to"),
    cc: parseParticipants(json, "cc"),
    bcc: parseParticipants(json, "bcc"),
    replyTo: parseParticipants(json, "reply_to"),
    from: parseParticipants(json, "from"),
  };
  if (!opts.forDraft && addressing.to.length === 0) {
    throw new ComposeError("to", "to is required: list at least one recipient");
  }
  const count = addressing.to.length + addressing.cc.length + addressing.bcc.length;
  if (count > opts.maxRecipients) {
    throw new ComposeError("to", `too many recipients: ${count} (to + cc + bcc ≤ ${opts.maxRecipients})`);
  }
  if (addressing.from.length > 1) throw new ComposeError("from", "from may list only one address");
  return addressing;
}

type Content = Pick<SendRequest, "subject" | "body" | "isPlaintext" | "replyToMessageId">;

function parseContent(json: Json): Content {
  return {
    subject: optionalHeaderText(json, "subject", "subject", 998) ?? "",
    // Unbounded here: the whole message is held to the outbound size limit once composed.
    body: optionalString(json, "body", "body", Number.POSITIVE_INFINITY) ?? "",
    isPlaintext: optionalBoolean(json, "is_plaintext", "is_plaintext") ?? false,
    replyToMessageId:
      optionalHeaderText(json, "reply_to_message_id", "reply_to_message_id", 256) || undefined,
  };
}

// Absent optional fields stay absent, so the request compares and fingerprints by what was sent.
function dropUndefined(request: SendRequest): SendRequest {
  for (const key of Object.keys(request) as (keyof SendRequest)[]) {
    if (request[key] === undefined) delete request[key];
  }
  return request;
}
