/**
 * The triggers the log records for which the vendored notification schemas
 * (test/fixtures/nylas/notifications/) have no file, each with the reason and what its object is
 * held to instead: the REST object's schema in Nylas's OpenAPI document where the notification
 * carries that object (as its GET shows it), else the thin object the log recorded. The envelope
 * is validated as for every notification. Any trigger without a schema and not listed here is
 * still reported.
 */

type Schema = Record<string, unknown>;

export interface Unpublished {
  why: string;
  object: Schema;
}

const rest = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = { type: "string" };
/** What a deletion records: the ids (the object itself is gone). */
const deletedObject = (object: string, ids: string[]): Schema => ({
  type: "object",
  required: ["id", "grant_id", "object"],
  properties: {
    id: str,
    grant_id: str,
    object: { const: object },
    ...Object.fromEntries(ids.map((id) => [id, str])),
  },
});

const NOT_VENDORED =
  "Nylas sends this trigger, but the notification-schemas data the vendored copy was generated from has no schema for it";
const AGENTBOX_ONLY = "agentbox's own trigger (docs/api.md, event.starting / event.ending): Nylas has none";
const strings: Schema = { type: "array", items: { type: "string" } };
/** A send held for review by an outbound rule (hold_for_review), and its release. */
const reviewObject: Schema = {
  type: "object",
  required: ["id", "grant_id", "folders"],
  properties: {
    object: { const: "message" },
    id: str,
    grant_id: str,
    folders: strings,
    recipients: strings,
    matched_rule_ids: strings,
  },
};

export const UNPUBLISHED_NOTIFICATIONS: Record<string, Unpublished> = {
  "calendar.created": { why: NOT_VENDORED, object: rest("calendar") },
  "calendar.updated": { why: NOT_VENDORED, object: rest("calendar") },
  "calendar.deleted": { why: NOT_VENDORED, object: deletedObject("calendar", ["name"]) },
  "event.created": { why: NOT_VENDORED, object: rest("event") },
  "event.updated": { why: NOT_VENDORED, object: rest("event") },
  "event.deleted": {
    why: NOT_VENDORED,
    object: deletedObject("event", ["calendar_id", "master_event_id"]),
  },
  "event.starting": { why: AGENTBOX_ONLY, object: rest("event") },
  "event.ending": { why: AGENTBOX_ONLY, object: rest("event") },
  // Nylas documents contact.updated and contact.deleted; the vendored schemas have neither.
  "contact.created": {
    why: "agentbox's own trigger (a contact made through the API): Nylas has none, its upserts are contact.updated",
    object: rest("contact"),
  },
  "contact.updated": { why: NOT_VENDORED, object: rest("contact") },
  "contact.deleted": { why: NOT_VENDORED, object: deletedObject("contact", []) },
  "message.held": {
    why: "agentbox's own trigger (hold_for_review): Nylas has no such event",
    object: reviewObject,
  },
  "message.released": {
    why: "agentbox's own trigger (a held send released): Nylas has no such event",
    object: reviewObject,
  },
};
