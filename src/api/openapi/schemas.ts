/**
 * The objects the API answers with, as JSON Schema (OpenAPI 3.1 is JSON Schema 2020-12). They
 * name every field the presenters (src/present/) write; more may be added, so objects stay open.
 */

type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const bool: Schema = { type: "boolean" };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });
const array = (items: Schema): Schema => ({ type: "array", items });
const seconds: Schema = { type: "integer", description: "Unix seconds" };
const object = (
  properties: Record<string, Schema>,
  required: string[] = Object.keys(properties),
): Schema => ({
  type: "object",
  properties,
  required,
});

export const SCHEMAS: Record<string, Schema> = {
  Error: {
    ...object({
      request_id: str,
      error: object({ type: str, message: str }),
    }),
    description: "The Nylas error envelope; `error.type` follows the status (docs/api.md).",
  },
  Participant: object({ email: str, name: str }, ["email"]),
  Attachment: object(
    {
      id: str,
      grant_id: str,
      filename: str,
      content_type: str,
      size: int,
      content_id: nullable(str),
      content_disposition: nullable(str),
      is_inline: bool,
    },
    ["filename", "content_type", "size"],
  ),
  Message: object(
    {
      object: { type: "string", enum: ["message", "draft"] },
      id: str,
      grant_id: str,
      thread_id: nullable(str),
      subject: str,
      from: array(ref("Participant")),
      to: array(ref("Participant")),
      cc: array(ref("Participant")),
      bcc: array(ref("Participant")),
      reply_to: array(ref("Participant")),
      date: seconds,
      unread: bool,
      starred: bool,
      answered: bool,
      snippet: str,
      body: str,
      folders: array(str),
      attachments: array(ref("Attachment")),
      metadata: { type: "object", additionalProperties: str },
      in_reply_to: nullable(str),
      created_at: seconds,
      updated_at: seconds,
      extracted: {
        type: "object",
        description: "agentbox: verification codes and links found in the message",
        properties: { codes: array(str), links: array(object({ url: str, text: str }, ["url"])) },
      },
      authentication: {
        type: "object",
        description: "agentbox: SPF/DKIM/DMARC/ARC verdicts of inbound mail",
      },
      conversation: {
        type: "string",
        description: "Only with PUT /messages/clean or fields=include_conversation",
      },
      headers: array(object({ name: str, value: str })),
      raw_mime: { type: "string", description: "Only with fields=raw_mime (base64url)" },
    },
    ["object", "id", "grant_id"],
  ),
  ScheduledMessage: object(
    { object: str, id: str, grant_id: str, schedule_id: str, send_at: seconds, subject: str },
    ["id", "schedule_id", "send_at"],
  ),
  Schedule: object(
    {
      schedule_id: str,
      status: object({ code: str, description: str }),
      close_time: seconds,
      send_at: seconds,
      message_id: str,
    },
    ["schedule_id", "status"],
  ),
  Thread: object(
    {
      object: { const: "thread" },
      id: str,
      grant_id: str,
      subject: str,
      snippet: str,
      has_attachments: bool,
      has_drafts: bool,
      starred: bool,
      unread: bool,
      earliest_message_date: nullable(seconds),
      latest_message_received_date: nullable(seconds),
      latest_message_sent_date: nullable(seconds),
      participants: array(ref("Participant")),
      message_ids: array(str),
      draft_ids: array(str),
      folders: array(str),
      latest_draft_or_message: nullable(ref("Message")),
    },
    ["object", "id", "grant_id", "message_ids"],
  ),
  Folder: object(
    {
      object: { const: "folder" },
      id: str,
      grant_id: str,
      name: str,
      system_folder: bool,
      attributes: array(str),
      parent_id: nullable(str),
      child_count: int,
      total_count: int,
      unread_count: int,
      text_color: nullable(str),
      background_color: nullable(str),
    },
    ["id", "grant_id", "name"],
  ),
  Grant: object(
    {
      id: str,
      provider: str,
      grant_status: str,
      email: str,
      name: nullable(str),
      scope: array(str),
      settings: { type: "object" },
      workspace_id: nullable(str),
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "provider", "grant_status", "email"],
  ),
  Connector: object({ provider: str, settings: { type: "object" }, scope: array(str) }, ["provider"]),
  Domain: object(
    {
      id: str,
      name: str,
      domain_address: str,
      organization_id: str,
      branded: bool,
      region: str,
      verified_ownership: bool,
      verified_dkim: bool,
      verified_spf: bool,
      verified_mx: bool,
      verified_feedback: bool,
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "domain_address"],
  ),
  DomainVerification: {
    type: "object",
    description:
      "`info`: the record to publish in attempt.options; `verify`: status done or failed, with a message",
  },
  Webhook: object(
    {
      id: str,
      description: nullable(str),
      trigger_types: array(str),
      webhook_url: str,
      status: str,
      notification_email_addresses: array(str),
      compressed_delivery: bool,
      status_updated_at: seconds,
      created_at: seconds,
      updated_at: seconds,
      webhook_secret: { type: "string", description: "Only when created and when rotated" },
      delivery: {
        type: "object",
        description: "agentbox: cursor, backlog, in_flight, pending, failed, last outcome",
      },
    },
    ["id", "trigger_types", "webhook_url", "status"],
  ),
  Notification: {
    ...object(
      { specversion: str, type: str, source: str, id: str, time: seconds, data: { type: "object" } },
      ["type", "id", "data"],
    ),
    description: "A webhook notification (the same envelope the event log and stream carry)",
  },
  Application: object({ application_id: str, name: str }, ["application_id"]),
  AdminApplication: object({ id: str, name: str, default: bool, created_at: seconds, updated_at: seconds }, [
    "id",
    "name",
  ]),
  ApiKey: object(
    {
      id: str,
      application_id: str,
      name: str,
      prefix: str,
      status: { type: "string", enum: ["active", "revoked"] },
      created_at: seconds,
      revoked_at: nullable(seconds),
      api_key: { type: "string", description: "Only in the answer to its creation" },
    },
    ["id", "application_id", "status"],
  ),
  ServiceAccount: {
    type: "object",
    properties: { id: str, application_id: str, credentials: { type: "object" } },
    required: ["id"],
    description: "`credentials` (with the private key) only in the answer to its creation",
  },
  IpAddresses: object({ ip_addresses: array(str), updated_at: seconds }, ["ip_addresses"]),
  NylasApiKey: object(
    {
      id: str,
      name: str,
      application_id: str,
      status: { type: "string", enum: ["active", "revoked", "expired"] },
      permissions: array(str),
      created_at: seconds,
      updated_at: seconds,
      expires_at: seconds,
      api_key: { type: "string", description: "Only in the answer to its creation" },
    },
    ["id", "application_id", "status"],
  ),
  Signature: object(
    {
      object: { const: "signature" },
      id: str,
      grant_id: str,
      name: str,
      body: str,
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "grant_id", "name", "body"],
  ),
  Template: {
    ...object(
      {
        object: { const: "template" },
        id: str,
        app_id: str,
        grant_id: str,
        name: str,
        subject: str,
        body: str,
        engine: { type: "string", enum: ["mustache", "handlebars", "twig", "nunjucks"] },
        created_at: seconds,
        updated_at: seconds,
      },
      ["id", "name", "subject", "body", "engine"],
    ),
    description: "`app_id` for an application's template, `grant_id` for a grant's",
  },
  RenderedTemplate: object({ subject: str, body: str }, ["body"]),
  Workflow: {
    ...object(
      {
        id: str,
        app_id: str,
        grant_id: str,
        name: str,
        template_id: str,
        trigger_event: str,
        delay: { type: "integer", description: "Minutes after the event" },
        is_enabled: bool,
        from: object({ email: str, name: str }, ["email"]),
        date_created: seconds,
      },
      ["id", "name", "template_id", "trigger_event"],
    ),
    description: "`app_id` for an application's workflow, `grant_id` for a grant's",
  },
  WebhookDeliveryAttempt: object({
    id: str,
    object: { const: "webhook_delivery_attempt" },
    webhook_id: str,
    notification_id: str,
    attempt: int,
    attempted_at: seconds,
    attempted_at_ms: int,
    duration_ms: int,
    status_code: nullable(int),
    outcome: { type: "string", enum: ["delivered", "retry", "failed"] },
    error: nullable(str),
  }),
  OutboundMessage: object({
    id: str,
    object: { const: "outbound_message" },
    grant_id: str,
    message_id: str,
    from: str,
    to: str,
    state: { type: "string", enum: ["pending", "deferred", "sending", "delivered", "bounced"] },
    attempts: int,
    next_attempt_at: seconds,
    last_error: nullable(str),
    created_at: seconds,
    updated_at: seconds,
  }),

  // Guardrails (issue 14): policies, rules, lists, workspaces, rule evaluations.
  Policy: object(
    {
      id: str,
      name: str,
      application_id: str,
      organization_id: { type: "string", description: "The application (there are no organizations)" },
      limits: { type: "object" },
      spam_detection: { type: "object" },
      options: { type: "object" },
      rules: array(str),
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "name", "application_id", "limits", "rules"],
  ),
  Rule: object(
    {
      id: str,
      name: str,
      description: str,
      priority: int,
      enabled: bool,
      trigger: { type: "string", enum: ["inbound", "outbound"] },
      match: { type: "object", description: "{operator, conditions: [{field, operator, value}]}" },
      actions: array({ type: "object", description: "{type, value?}" }),
      application_id: str,
      organization_id: str,
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "name", "priority", "enabled", "trigger", "match", "actions"],
  ),
  List: object(
    {
      id: str,
      name: str,
      description: str,
      type: { type: "string", enum: ["domain", "tld", "address"] },
      items_count: int,
      application_id: str,
      organization_id: str,
      created_at: seconds,
      updated_at: seconds,
    },
    ["id", "name", "type", "items_count"],
  ),
  ListItem: object({ id: str, list_id: str, value: str, created_at: seconds }),
  Workspace: object(
    {
      workspace_id: str,
      application_id: str,
      name: str,
      domain: nullable(str),
      auto_group: bool,
      default: bool,
      policy_id: nullable(str),
      rule_ids: array(str),
      created_at: seconds,
      updated_at: seconds,
    },
    ["workspace_id", "application_id", "name", "auto_group", "default", "rule_ids"],
  ),
  EvaluationInput: object(
    {
      from_address: str,
      from_domain: str,
      from_tld: str,
      recipient_addresses: array(str),
      recipient_domains: array(str),
      recipient_tlds: array(str),
      outbound_type: { type: "string", enum: ["compose", "reply"] },
    },
    ["recipient_addresses", "recipient_domains", "recipient_tlds"],
  ),
  RuleEvaluation: object(
    {
      id: str,
      grant_id: str,
      message_id: { type: "string", description: "Omitted when nothing was stored" },
      evaluated_at: seconds,
      evaluation_stage: { type: "string", enum: ["smtp_rcpt", "inbox_processing", "outbound_send"] },
      evaluation_input: ref("EvaluationInput"),
      applied_actions: { type: "object" },
      matched_rule_ids: array(str),
      application_id: str,
      organization_id: str,
      created_at: seconds,
      updated_at: seconds,
    },
    [
      "id",
      "grant_id",
      "evaluated_at",
      "evaluation_stage",
      "evaluation_input",
      "applied_actions",
      "matched_rule_ids",
    ],
  ),
  RuleDryRun: object({
    trigger: { type: "string", enum: ["inbound", "outbound"] },
    evaluation_stage: str,
    evaluation_input: ref("EvaluationInput"),
    matched_rule_ids: array(str),
    rules: array(object({ id: str, matched: bool })),
    would_apply: { type: "object", description: "The actions the rules would apply" },
  }),
};

/** `{request_id, data}`. */
export const single = (data: Schema): Schema => object({ request_id: str, data }, ["request_id", "data"]);

/** `{request_id, data: [...], next_cursor}`. */
export const page = (item: Schema): Schema =>
  object({ request_id: str, data: array(item), next_cursor: nullable(str) }, ["request_id", "data"]);

/** `{request_id}`: every DELETE. */
export const deletedBody: Schema = object({ request_id: str });
