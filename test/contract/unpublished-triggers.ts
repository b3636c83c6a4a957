/**
 * Event types the log records that have no published notification schema in the vendored copy
 * (test/fixtures/nylas/notifications/), each with the reason: their notifications are validated
 * against the envelope schema and, for the object, against the schema written here.
 */

type Schema = Record<string, unknown>;

const strings: Schema = { type: "array", items: { type: "string" } };

// Guardrails (issue 14): a send held for review by an outbound rule, and its release.
const reviewObject: Schema = {
  type: "object",
  required: ["id", "grant_id", "folders"],
  properties: {
    object: { const: "message" },
    id: { type: "string" },
    grant_id: { type: "string" },
    folders: strings,
    recipients: strings,
    matched_rule_ids: strings,
  },
};

export const UNPUBLISHED_TRIGGERS: Record<string, { why: string; object: Schema }> = {
  "message.held": {
    why: "agentbox's own trigger (hold_for_review): Nylas has no such event",
    object: reviewObject,
  },
  "message.released": {
    why: "agentbox's own trigger (a held send released): Nylas has no such event",
    object: reviewObject,
  },
};

/** The object schema of a trigger without a published one (`.truncated` ignored), if listed. */
export function unpublishedSchema(type: unknown): Schema | undefined {
  return UNPUBLISHED_TRIGGERS[String(type).replace(/\.truncated$/, "")]?.object;
}
