import { deletedBody, page, ref, single } from "./schemas.ts";

/**
 * Every route the server answers, as one line each: the completeness test
 * (test/api/openapi.test.ts) compares this table with the routes Elysia and the HTTP server
 * actually serve, so a route added without its line fails the suite.
 */

type Schema = Record<string, unknown>;

export interface QueryParam {
  name: string;
  description: string;
  schema?: Schema;
}

export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style: `/v3/grants/{grantId}/messages`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: QueryParam[];
  /** JSON request body; `multipart` also accepts multipart/form-data, `mime` message/rfc822. */
  body?: { schema: Schema; required?: boolean; multipart?: boolean; mime?: boolean; only?: string };
  /** The success answer. */
  ok: { status: number; schema?: Schema; contentType?: string; description?: string };
  /** Error statuses beyond the ones every authenticated route has (400, 401, 404, 429, 500). */
  errors?: number[];
  /** How the caller authenticates: the API key (default), the key or a service-account signature, or nothing. */
  auth?: "key" | "key_or_signature" | "none";
}

const text = (description: string): Schema => ({ type: "string", description });
const q = (name: string, description: string, schema: Schema = { type: "string" }): QueryParam => ({
  name,
  description,
  schema,
});
const bool = { type: "boolean" };
const int = { type: "integer" };
const anyObject: Schema = { type: "object" };
/** A used amount and its limit (null: no limit). */
const usageOf = (used: string, limit: string): Schema => ({
  type: "object",
  properties: { [used]: { type: "integer" }, [limit]: { type: ["integer", "null"] } },
  required: [used, limit],
});

const paging = [q("limit", "Page size", int), q("page_token", "next_cursor of the previous page")];
const select = q("select", "Comma-separated fields to return");
const messageFilters = [
  q("subject", "Subject contains (case-insensitive)"),
  q("any_email", "Any participant (comma-separated, ≤ 25)"),
  q("to", "Recipient"),
  q("from", "Sender"),
  q("cc", "Cc"),
  q("bcc", "Bcc"),
  q("in", "Folder id (system folders also by name)"),
  q("unread", "Unread or not", bool),
  q("starred", "Starred or not", bool),
  q("has_attachment", "With attachments or not", bool),
  q("thread_id", "Thread"),
  q("received_before", "Unix seconds", int),
  q("received_after", "Unix seconds", int),
  q("metadata_pair", "key:value"),
  q(
    "search_query_native",
    "Full-text query (words, from:, to:, subject:, is:unread, has:attachment, phrases); on a connected IMAP account, IMAP SEARCH syntax run at the provider",
  ),
  q("query_imap", "Connected IMAP accounts: read `in` at the provider instead of the cache", bool),
];
const fields = q(
  "fields",
  "standard, include_headers, include_basic_headers, raw_mime, include_conversation",
);
const compose: Schema = {
  type: "object",
  properties: {
    to: { type: "array", items: ref("Participant") },
    cc: { type: "array", items: ref("Participant") },
    bcc: { type: "array", items: ref("Participant") },
    reply_to: { type: "array", items: ref("Participant") },
    subject: { type: "string" },
    body: { type: "string" },
    is_plaintext: { type: "boolean" },
    reply_to_message_id: { type: "string" },
    send_at: { type: "integer" },
    metadata: { type: "object" },
    attachments: { type: "array", items: { type: "object" } },
    tracking_options: { type: "object" },
  },
};
const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: "object",
  properties,
  required,
});

const renderVariables: Schema = object({
  variables: { type: "object", additionalProperties: { type: "string" } },
  strict: { ...bool, description: "A missing variable is a 400 (default true)" },
});
const renderInput: Schema = {
  ...renderVariables,
  properties: {
    ...(renderVariables.properties as Record<string, Schema>),
    body: text("The template"),
    engine: text("mustache, handlebars, twig or nunjucks"),
  },
};
const templateFields = (required: string[] = []): Schema =>
  object(
    {
      name: { type: "string" },
      subject: { type: "string" },
      body: { type: "string" },
      engine: text("mustache (default), handlebars, twig or nunjucks"),
    },
    required,
  );
const workflowFields = (required: string[] = []): Schema =>
  object(
    {
      name: { type: "string" },
      template_id: text("A template of the same scope (a grant's workflow may also use its application's)"),
      trigger_event: text("A Nylas Scheduler event, e.g. booking.created"),
      delay: { ...int, description: "Minutes after the event (≤ a week)" },
      is_enabled: bool,
      from: {
        anyOf: [object({ email: { type: "string" }, name: { type: "string" } }, ["email"]), { type: "null" }],
      },
    },
    required,
  );

const G = "/v3/grants/{grantId}";

// Calendars
const calendarId = q("calendar_id", "The calendar (`primary` names the primary); required");
const notifyParticipants = q("notify_participants", "Mail the participants (default true)", bool);
const calendarBody = (required: string[] = []): Schema =>
  object(
    {
      name: { type: "string" },
      description: { type: "string" },
      location: { type: "string" },
      timezone: text("IANA time zone"),
      hex_color: { type: "string" },
      metadata: { type: "object", additionalProperties: { type: "string" } },
    },
    required,
  );
const eventBody = (required: string[] = []): Schema =>
  object(
    {
      title: { type: "string" },
      description: { type: "string" },
      location: { type: "string" },
      when: { type: "object", description: "A When shape (its `object` may be omitted)" },
      busy: bool,
      visibility: { type: "string" },
      status: { type: "string" },
      recurrence: { type: "array", items: { type: "string" } },
      participants: { type: "array", items: ref("EventParticipant") },
      reminders: anyObject,
      conferencing: anyObject,
      metadata: anyObject,
      capacity: int,
      hide_participants: bool,
    },
    required,
  );

const contactItems = (key: string): Schema => ({
  type: "array",
  items: object({ [key]: { type: "string" }, type: { type: "string" } }, [key]),
});
const contactBody: Schema = object({
  given_name: { type: "string" },
  middle_name: { type: "string" },
  surname: { type: "string" },
  suffix: { type: "string" },
  nickname: { type: "string" },
  company_name: { type: "string" },
  job_title: { type: "string" },
  manager_name: { type: "string" },
  office_location: { type: "string" },
  notes: { type: "string" },
  birthday: { type: "string", description: "YYYY-MM-DD" },
  emails: contactItems("email"),
  phone_numbers: contactItems("number"),
  im_addresses: contactItems("im_address"),
  web_pages: contactItems("url"),
  physical_addresses: { type: "array", items: anyObject },
  groups: { type: "array", items: anyObject, maxItems: 0, description: "Only empty: groups do not apply" },
});

/** Guardrails (issue 14): list, create, get, update and delete of an application's object. */
function crud(
  base: string,
  tag: string,
  noun: string,
  schema: string,
  createdStatus: number,
  update: "put" | "patch",
  body: Schema,
): Operation[] {
  const one = `${base}/{id}`;
  return [
    {
      method: "get",
      path: base,
      tag,
      summary: `List the application's ${tag.toLowerCase()}`,
      query: paging,
      ok: { status: 200, schema: page(ref(schema)) },
    },
    {
      method: "post",
      path: base,
      tag,
      summary: `Create a ${noun}`,
      body: { schema: body, required: true },
      ok: { status: createdStatus, schema: single(ref(schema)) },
    },
    {
      method: "get",
      path: one,
      tag,
      summary: `Get a ${noun}`,
      ok: { status: 200, schema: single(ref(schema)) },
    },
    {
      method: update,
      path: one,
      tag,
      summary: `Update a ${noun}`,
      body: { schema: body, required: true },
      ok: { status: 200, schema: single(ref(schema)) },
    },
    {
      method: "delete",
      path: one,
      tag,
      summary: `Delete a ${noun}`,
      ok: { status: 200, schema: deletedBody },
    },
  ];
}
const idArray: Schema = { type: "array", items: { type: "string" } };
const policyBody: Schema = object({
  name: { type: "string" },
  limits: {
    type: "object",
    description: "limit_attachment_size_limit, limit_count_daily_message_per_grant, …",
  },
  spam_detection: {
    type: "object",
    description: "use_list_dnsbl, use_header_anomaly_detection, spam_sensitivity",
  },
  options: { type: "object", description: "additional_folders, use_cidr_aliasing" },
  rules: { ...idArray, description: "Rule ids of the application" },
});
const ruleBody: Schema = object({
  name: { type: "string" },
  description: { type: "string" },
  priority: int,
  enabled: bool,
  trigger: { type: "string", enum: ["inbound", "outbound"] },
  match: object({
    operator: { type: "string", enum: ["all", "any"] },
    conditions: { type: "array", items: anyObject },
  }),
  actions: { type: "array", items: object({ type: { type: "string" }, value: {} }, ["type"]) },
});
const listBody: Schema = object({
  name: { type: "string" },
  description: { type: "string" },
  type: { type: "string", enum: ["domain", "tld", "address"] },
});
const listItemsBody: Schema = object({ items: idArray }, ["items"]);
const accountList = `${G}/lists/{direction}/{type}`;
const accountEntryBody: Schema = object(
  {
    entry: { type: "string", description: "An email address or a domain" },
    reason: { type: "string" },
  },
  ["entry"],
);
const workspaceBody: Schema = object({
  name: { type: "string" },
  domain: { type: "string" },
  auto_group: bool,
  policy_id: { anyOf: [{ type: "string" }, { type: "null" }] },
  rule_ids: idArray,
});
const workspaceList: Schema = object(
  { request_id: { type: "string" }, data: { type: "array", items: ref("Workspace") } },
  ["request_id", "data"],
);
const evaluateBody: Schema = object({
  trigger: { type: "string", enum: ["inbound", "outbound"] },
  grant_id: { type: "string" },
  rule_ids: idArray,
  message: object({ from: { type: "string" }, to: idArray, cc: idArray, bcc: idArray, reply: bool }),
  raw_mime: { type: "string", description: "The RFC 5322 text (instead of message)" },
});

export const OPERATIONS: Operation[] = [
  // Accounts
  {
    method: "post",
    path: "/v3/connect/custom",
    tag: "Accounts",
    summary: "Create an agent account (provider nylas) or a connected IMAP account",
    body: {
      schema: object({ provider: text("nylas or imap"), settings: anyObject, name: { type: "string" } }, [
        "provider",
        "settings",
      ]),
    },
    ok: { status: 201, schema: single(ref("Grant")) },
    errors: [403, 409],
  },
  {
    method: "post",
    path: "/v3/providers/detect",
    tag: "Accounts",
    summary: "Detect an address's provider (well-known domains; imap, undetected, otherwise)",
    query: [q("email", "the address"), q("all_provider_types", "accepted; the answer is the same")],
    ok: {
      status: 200,
      schema: single(
        object(
          {
            email_address: { type: "string" },
            detected: { type: "boolean" },
            provider: { type: "string" },
            type: text("the IMAP provider, when provider is imap"),
          },
          ["email_address", "detected"],
        ),
      ),
    },
  },
  {
    method: "get",
    path: "/v3/grants",
    tag: "Accounts",
    summary: "List accounts",
    query: [
      q("limit", "Page size (≤ 200)", int),
      q("offset", "Offset", int),
      q("email", "By address"),
      q("sort_by", "created_at or updated_at"),
      q("order_by", "asc or desc"),
      q("since", "Created since (Unix seconds)", int),
      q("before", "Created before (Unix seconds)", int),
      q("grant_status", "valid or invalid"),
      q("provider", "Provider"),
      q("workspace_id", "Workspace"),
    ],
    ok: { status: 200, schema: { ...page(ref("Grant")), description: "with limit and offset" } },
  },
  {
    method: "get",
    path: G,
    tag: "Accounts",
    summary: "Get an account",
    ok: { status: 200, schema: single(ref("Grant")) },
  },
  {
    method: "get",
    path: `${G}/usage`,
    tag: "Accounts",
    summary: "An account's usage against its limits: storage, today's sends and receipts (agentbox)",
    ok: {
      status: 200,
      schema: single(
        object(
          {
            grant_id: { type: "string" },
            object: { type: "string", enum: ["usage"] },
            day: text("today, UTC (YYYY-MM-DD)"),
            policy_id: { type: ["string", "null"] },
            storage: usageOf("used_bytes", "quota_bytes"),
            sent_today: usageOf("count", "limit"),
            received_today: usageOf("count", "limit"),
          },
          ["grant_id", "object", "day", "storage", "sent_today", "received_today"],
        ),
      ),
    },
  },
  {
    method: "patch",
    path: G,
    tag: "Accounts",
    summary: "Update an account (name, settings, app password, quotas)",
    body: { schema: anyObject },
    ok: { status: 200, schema: single(ref("Grant")) },
  },
  {
    method: "delete",
    path: G,
    tag: "Accounts",
    summary: "Delete an account and its mail",
    ok: { status: 200, schema: deletedBody },
  },
  // Connectors
  {
    method: "get",
    path: "/v3/connectors",
    tag: "Connectors",
    summary: "List connectors",
    ok: { status: 200, schema: page(ref("Connector")) },
  },
  {
    method: "post",
    path: "/v3/connectors",
    tag: "Connectors",
    summary: "Create a connector",
    body: {
      schema: object({ provider: { type: "string" }, settings: anyObject, scope: { type: "array" } }, [
        "provider",
      ]),
    },
    ok: { status: 201, schema: single(ref("Connector")) },
    errors: [409],
  },
  {
    method: "get",
    path: "/v3/connectors/{provider}",
    tag: "Connectors",
    summary: "Get a connector",
    ok: { status: 200, schema: single(ref("Connector")) },
  },
  {
    method: "patch",
    path: "/v3/connectors/{provider}",
    tag: "Connectors",
    summary: "Update a connector's settings or scope (Nylas's spec)",
    body: { schema: object({ settings: anyObject, scope: { type: "array", items: { type: "string" } } }) },
    ok: { status: 200, schema: single(ref("Connector")) },
  },
  {
    method: "put",
    path: "/v3/connectors/{provider}",
    tag: "Connectors",
    summary: "Update a connector's settings or scope (the Node SDK's method)",
    body: { schema: object({ settings: anyObject, scope: { type: "array", items: { type: "string" } } }) },
    ok: { status: 200, schema: single(ref("Connector")) },
  },
  {
    method: "delete",
    path: "/v3/connectors/{provider}",
    tag: "Connectors",
    summary: "Delete a connector",
    ok: { status: 200, schema: deletedBody },
  },
  // Domains
  {
    method: "get",
    path: "/v3/admin/domains",
    tag: "Domains",
    summary: "List domains",
    query: paging,
    ok: { status: 200, schema: page(ref("Domain")) },
    auth: "key_or_signature",
  },
  {
    method: "post",
    path: "/v3/admin/domains",
    tag: "Domains",
    summary: "Register a domain (generates its DKIM key)",
    body: {
      schema: object({ name: { type: "string" }, domain_address: { type: "string" } }, [
        "name",
        "domain_address",
      ]),
    },
    ok: { status: 200, schema: single(ref("Domain")) },
    errors: [409],
    auth: "key_or_signature",
  },
  {
    method: "get",
    path: "/v3/admin/domains/{id}",
    tag: "Domains",
    summary: "Get a domain (by id or address)",
    ok: { status: 200, schema: single(ref("Domain")) },
    auth: "key_or_signature",
  },
  {
    method: "put",
    path: "/v3/admin/domains/{id}",
    tag: "Domains",
    summary: "Rename a domain",
    body: { schema: object({ name: { type: "string" } }, ["name"]) },
    ok: { status: 200, schema: single(ref("Domain")) },
    auth: "key_or_signature",
  },
  {
    method: "delete",
    path: "/v3/admin/domains/{id}",
    tag: "Domains",
    summary: "Delete a domain (409 while it has accounts)",
    ok: { status: 200, schema: deletedBody },
    errors: [409],
    auth: "key_or_signature",
  },
  {
    method: "post",
    path: "/v3/admin/domains/{id}/info",
    tag: "Domains",
    summary: "The DNS record to publish for one check",
    body: { schema: object({ type: text("ownership, mx, spf, dkim or feedback") }, ["type"]) },
    ok: { status: 200, schema: single(ref("DomainVerification")) },
    auth: "key_or_signature",
  },
  {
    method: "post",
    path: "/v3/admin/domains/{id}/verify",
    tag: "Domains",
    summary: "Look the record up and record the result",
    body: { schema: object({ type: text("ownership, mx, spf, dkim or feedback") }, ["type"]) },
    ok: { status: 200, schema: single(ref("DomainVerification")) },
    auth: "key_or_signature",
  },
  // Administration
  {
    method: "get",
    path: "/v3/applications",
    tag: "Administration",
    summary: "The caller's application",
    ok: { status: 200, schema: single(ref("Application")) },
  },
  {
    method: "patch",
    path: "/v3/applications",
    tag: "Administration",
    summary: "Update the caller's application settings",
    body: {
      schema: { ...anyObject, description: "Nylas's application settings (branding, redirect URIs…)" },
    },
    ok: {
      status: 200,
      schema: object({ request_id: { type: "string" }, success: bool, data: ref("Application") }, [
        "request_id",
        "data",
      ]),
    },
  },
  {
    method: "get",
    path: "/v3/admin/applications",
    tag: "Administration",
    summary: "List applications (operators: all)",
    ok: { status: 200, schema: page(ref("AdminApplication")) },
  },
  {
    method: "post",
    path: "/v3/admin/applications",
    tag: "Administration",
    summary: "Create an application (operator keys)",
    body: { schema: object({ name: { type: "string" } }, ["name"]) },
    ok: { status: 200, schema: single(ref("AdminApplication")) },
    errors: [403],
  },
  {
    method: "get",
    path: "/v3/admin/api-keys",
    tag: "Administration",
    summary: "List API keys",
    query: [q("application_id", "Another application's (operator keys)")],
    ok: { status: 200, schema: page(ref("ApiKey")) },
    errors: [403],
  },
  {
    method: "post",
    path: "/v3/admin/api-keys",
    tag: "Administration",
    summary: "Create an API key (shown once)",
    body: { schema: object({ name: { type: "string" }, application_id: { type: "string" } }) },
    ok: { status: 200, schema: single(ref("ApiKey")) },
    errors: [403],
  },
  {
    method: "delete",
    path: "/v3/admin/api-keys/{id}",
    tag: "Administration",
    summary: "Revoke an API key",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: "/v3/admin/applications/{applicationId}/api-keys",
    tag: "Administration",
    summary: "Create an API key of an application (Nylas's path; the key is shown once)",
    body: {
      schema: object({ name: { type: "string" }, expires_in: { ...int, description: "Days (1–3650)" } }),
      required: false,
    },
    ok: { status: 200, schema: single(ref("NylasApiKey")) },
    auth: "key_or_signature",
  },
  {
    method: "get",
    path: "/v3/admin/applications/{applicationId}/api-keys",
    tag: "Administration",
    summary: "List an application's API keys (Nylas's path)",
    ok: {
      status: 200,
      schema: object({ request_id: { type: "string" }, data: { type: "array", items: ref("NylasApiKey") } }, [
        "request_id",
        "data",
      ]),
    },
    auth: "key_or_signature",
  },
  {
    method: "get",
    path: "/v3/admin/applications/{applicationId}/api-keys/{apiKeyId}",
    tag: "Administration",
    summary: "Get an API key (Nylas's path)",
    ok: { status: 200, schema: single(ref("NylasApiKey")) },
    auth: "key_or_signature",
  },
  {
    method: "delete",
    path: "/v3/admin/applications/{applicationId}/api-keys/{apiKeyId}",
    tag: "Administration",
    summary: "Revoke an API key (Nylas's path)",
    ok: { status: 200, schema: deletedBody },
    auth: "key_or_signature",
  },
  {
    method: "get",
    path: "/v3/admin/service-accounts",
    tag: "Administration",
    summary: "List service accounts",
    query: [q("application_id", "Another application's (operator keys)")],
    ok: { status: 200, schema: page(ref("ServiceAccount")) },
    errors: [403],
  },
  {
    method: "post",
    path: "/v3/admin/service-accounts",
    tag: "Administration",
    summary: "Create a service account (its credentials shown once)",
    body: { schema: object({ application_id: { type: "string" } }), required: false },
    ok: { status: 200, schema: single(ref("ServiceAccount")) },
    errors: [403],
  },
  {
    method: "delete",
    path: "/v3/admin/service-accounts/{id}",
    tag: "Administration",
    summary: "Revoke a service account",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "get",
    path: "/v3/admin/status",
    tag: "Administration",
    summary: "Versions, listeners and the application's counts (agentbox)",
    ok: {
      status: 200,
      schema: single(
        object(
          {
            object: { type: "string", enum: ["status"] },
            versions: object(
              {
                agentbox: { type: "string" },
                bun: { type: "string" },
                sqlite: { type: "string" },
                schema: { type: "integer" },
              },
              ["agentbox", "bun", "sqlite", "schema"],
            ),
            uptime_seconds: { type: "integer" },
            listeners: {
              type: "array",
              items: object(
                {
                  name: { type: "string" },
                  protocol: { type: "string", enum: ["http", "imap", "smtp"] },
                  address: { type: "string" },
                  port: { type: "integer" },
                  tls: { type: "string", enum: ["implicit", "starttls", "none"] },
                },
                ["name", "protocol", "address", "port", "tls"],
              ),
            },
            counts: object(
              {
                accounts: { type: "integer" },
                domains: { type: "integer" },
                webhooks: { type: "integer" },
                messages: { type: "integer" },
                outbound_waiting: { type: "integer" },
              },
              ["accounts", "domains", "webhooks", "messages", "outbound_waiting"],
            ),
          },
          ["object", "versions", "uptime_seconds", "listeners", "counts"],
        ),
      ),
    },
  },
  {
    method: "get",
    path: `/v3/admin/outbound`,
    tag: "Administration",
    summary: "The application's outbound queue, a row per recipient, newest first (agentbox)",
    query: [q("state", "pending, deferred, sending, delivered or bounced"), ...paging],
    ok: { status: 200, schema: page(ref("OutboundMessage")) },
  },
  {
    method: "get",
    path: `/v3/admin/outbound/{id}`,
    tag: "Administration",
    summary: "An outbound queue row (agentbox)",
    ok: { status: 200, schema: single(ref("OutboundMessage")) },
  },
  {
    method: "post",
    path: `/v3/admin/outbound/{id}/retry`,
    tag: "Administration",
    summary: "Make a waiting row due now (agentbox)",
    ok: { status: 200, schema: single(ref("OutboundMessage")) },
    errors: [409],
  },
  {
    method: "delete",
    path: `/v3/admin/outbound/{id}`,
    tag: "Administration",
    summary: "Give a waiting row up, without a bounce message (agentbox)",
    ok: { status: 200, schema: single(ref("OutboundMessage")) },
    errors: [409],
  },
  // Messages
  {
    method: "get",
    path: `${G}/messages`,
    tag: "Messages",
    summary: "List messages, newest first",
    query: [...messageFilters, ...paging, select, fields],
    ok: { status: 200, schema: page(ref("Message")) },
  },
  {
    method: "get",
    path: `${G}/messages/{messageId}`,
    tag: "Messages",
    summary: "Get a message",
    query: [select, fields],
    ok: { status: 200, schema: single(ref("Message")) },
  },
  {
    method: "put",
    path: `${G}/messages/{messageId}`,
    tag: "Messages",
    summary: "Update a message: flags, folder, metadata",
    body: {
      schema: object({
        unread: { type: "boolean" },
        starred: { type: "boolean" },
        answered: { type: "boolean" },
        folders: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 1 },
        metadata: anyObject,
      }),
    },
    ok: { status: 200, schema: single(ref("Message")) },
  },
  {
    method: "delete",
    path: `${G}/messages/{messageId}`,
    tag: "Messages",
    summary: "Move a message to Trash (in Trash: delete it)",
    query: [q("hard_delete", "Delete at once", bool)],
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "put",
    path: `${G}/messages/clean`,
    tag: "Messages",
    summary: "Clean messages: text without quoted history or signature",
    query: [select],
    body: {
      schema: object(
        {
          message_id: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 20 },
          ignore_links: { type: "boolean", default: true },
          ignore_images: { type: "boolean", default: true },
          images_as_markdown: { type: "boolean", default: true },
          ignore_tables: { type: "boolean", default: true },
          remove_conclusion_phrases: { type: "boolean", default: true },
          html_as_markdown: { type: "boolean", default: false },
        },
        ["message_id"],
      ),
    },
    ok: { status: 200, schema: page(ref("Message")) },
  },
  {
    method: "get",
    path: `${G}/messages/wait`,
    tag: "Messages",
    summary: "Wait for the next matching message (long poll; agentbox)",
    query: [
      ...messageFilters,
      q("timeout", "Seconds, 1 to 60 (30)", int),
      q("since", "Unix seconds", int),
      q("fields", "standard, or include_conversation (adds the clean text)"),
    ],
    ok: {
      status: 200,
      schema: page(ref("Message")),
      description: "data holds the message, or nothing at the timeout",
    },
  },
  {
    method: "post",
    path: `${G}/messages/import`,
    tag: "Messages",
    summary: "Import an existing message as it is (agentbox; de-duplicated on Message-ID per folder)",
    query: [
      q("folder", "Folder id or system name (inbox)"),
      q("seen", "Mark it read", bool),
      q("flagged", "Star it", bool),
      q("answered", "Mark it answered", bool),
      q("received_at", "Unix seconds (default: now)", int),
    ],
    body: { schema: { type: "string", description: "The raw message" }, only: "message/rfc822" },
    ok: {
      status: 201,
      schema: single(ref("Message")),
      description:
        "Stored; 200 with the existing message when its Message-ID was already in the folder (duplicate: true)",
    },
    errors: [403, 413],
  },
  {
    method: "post",
    path: `${G}/messages/send`,
    tag: "Sending",
    summary: "Send a message (JSON, multipart, or raw MIME with type=mime)",
    query: [q("type", "mime: the body is the raw message")],
    body: { schema: compose, multipart: true, mime: true },
    ok: {
      status: 200,
      schema: single(ref("Message")),
      description: "202 with a scheduled message when send_at is set",
    },
    errors: [403, 409, 413, 503],
  },
  {
    method: "get",
    path: `${G}/messages/schedules`,
    tag: "Sending",
    summary: "List scheduled sends",
    ok: { status: 200, schema: page(ref("Schedule")) },
  },
  {
    method: "get",
    path: `${G}/messages/schedules/{scheduleId}`,
    tag: "Sending",
    summary: "Get a scheduled send",
    ok: { status: 200, schema: single(ref("Schedule")) },
  },
  {
    method: "delete",
    path: `${G}/messages/schedules/{scheduleId}`,
    tag: "Sending",
    summary: "Cancel a scheduled send",
    ok: { status: 200, schema: single(object({ message: { type: "string" } }, ["message"])) },
    errors: [409],
  },
  {
    method: "post",
    path: "/v3/domains/{domainName}/messages/send",
    tag: "Sending",
    summary:
      "Transactional send from one of the application's verified domains (no account; JSON or multipart)",
    body: { schema: compose, required: true, multipart: true },
    ok: { status: 200, schema: single(ref("TransactionalMessage")) },
    errors: [413],
  },
  // Drafts
  {
    method: "get",
    path: `${G}/drafts`,
    tag: "Drafts",
    summary: "List drafts",
    query: [...messageFilters, ...paging, select],
    ok: { status: 200, schema: page(ref("Message")) },
  },
  {
    method: "get",
    path: `${G}/drafts/{draftId}`,
    tag: "Drafts",
    summary: "Get a draft",
    query: [select],
    ok: { status: 200, schema: single(ref("Message")) },
  },
  {
    method: "post",
    path: `${G}/drafts`,
    tag: "Drafts",
    summary: "Create a draft",
    body: { schema: compose, multipart: true },
    ok: { status: 200, schema: single(ref("Message")) },
    errors: [413],
  },
  {
    method: "put",
    path: `${G}/drafts/{draftId}`,
    tag: "Drafts",
    summary: "Update a draft",
    body: { schema: compose, multipart: true },
    ok: { status: 200, schema: single(ref("Message")) },
    errors: [409, 413],
  },
  {
    method: "delete",
    path: `${G}/drafts/{draftId}`,
    tag: "Drafts",
    summary: "Delete a draft",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: `${G}/drafts/{draftId}`,
    tag: "Drafts",
    summary: "Send a draft",
    body: { schema: anyObject, required: false },
    ok: { status: 200, schema: single(ref("Message")) },
    errors: [403, 409],
  },
  // Threads
  {
    method: "get",
    path: `${G}/threads`,
    tag: "Threads",
    summary: "List threads, most recent first",
    query: [...messageFilters, ...paging, select],
    ok: { status: 200, schema: page(ref("Thread")) },
  },
  {
    method: "get",
    path: `${G}/threads/{threadId}`,
    tag: "Threads",
    summary: "Get a thread",
    ok: { status: 200, schema: single(ref("Thread")) },
  },
  {
    method: "put",
    path: `${G}/threads/{threadId}`,
    tag: "Threads",
    summary: "Update every message of a thread: flags, folder",
    body: {
      schema: object({
        unread: { type: "boolean" },
        starred: { type: "boolean" },
        folders: { type: "array" },
      }),
    },
    ok: { status: 200, schema: single(ref("Thread")) },
  },
  {
    method: "delete",
    path: `${G}/threads/{threadId}`,
    tag: "Threads",
    summary: "Move a thread to Trash",
    ok: { status: 200, schema: deletedBody },
  },
  // Contacts (src/api/routes/contacts.ts): a grant's address book
  {
    method: "get",
    path: `${G}/contacts`,
    tag: "Contacts",
    summary: "List contacts",
    query: [
      q("email", "Contacts with this email address"),
      q("phone_number", "Contacts with this phone number"),
      q("source", "address_book (default); domain and inbox are always empty here"),
      q("group", "Refused: contact groups do not apply to agent accounts"),
      ...paging,
    ],
    ok: { status: 200, schema: page(ref("Contact")) },
  },
  {
    method: "get",
    path: `${G}/contacts/groups`,
    tag: "Contacts",
    summary: "Contact groups: always a 400 (they do not apply to agent accounts)",
    ok: { status: 200, schema: page(anyObject), description: "Never: the answer is a 400" },
  },
  {
    method: "post",
    path: `${G}/contacts`,
    tag: "Contacts",
    summary: "Create a contact (given_name required)",
    body: { schema: contactBody, required: true },
    ok: { status: 200, schema: single(ref("Contact")) },
  },
  {
    method: "get",
    path: `${G}/contacts/{contactId}`,
    tag: "Contacts",
    summary: "Get a contact",
    ok: { status: 200, schema: single(ref("Contact")) },
  },
  {
    method: "put",
    path: `${G}/contacts/{contactId}`,
    tag: "Contacts",
    summary: "Update a contact (only the fields given)",
    body: { schema: contactBody, required: true },
    ok: { status: 200, schema: single(ref("Contact")) },
  },
  {
    method: "delete",
    path: `${G}/contacts/{contactId}`,
    tag: "Contacts",
    summary: "Delete a contact",
    ok: { status: 200, schema: deletedBody },
  },
  // Folders
  {
    method: "get",
    path: `${G}/folders`,
    tag: "Folders",
    summary: "List folders",
    query: [q("parent_id", "Children of"), select],
    ok: { status: 200, schema: page(ref("Folder")) },
  },
  {
    method: "get",
    path: `${G}/folders/{folderId}`,
    tag: "Folders",
    summary: "Get a folder (system ones also by name)",
    ok: { status: 200, schema: single(ref("Folder")) },
  },
  {
    method: "post",
    path: `${G}/folders`,
    tag: "Folders",
    summary: "Create a folder",
    body: {
      schema: object(
        {
          name: { type: "string" },
          parent_id: { type: "string" },
          text_color: { type: "string" },
          background_color: { type: "string" },
        },
        ["name"],
      ),
    },
    ok: { status: 200, schema: single(ref("Folder")) },
    errors: [409],
  },
  {
    method: "put",
    path: `${G}/folders/{folderId}`,
    tag: "Folders",
    summary: "Rename, move or recolour a folder",
    body: {
      schema: object({
        name: { type: "string" },
        parent_id: { type: "string" },
        text_color: { type: "string" },
        background_color: { type: "string" },
      }),
    },
    ok: { status: 200, schema: single(ref("Folder")) },
    errors: [409],
  },
  {
    method: "delete",
    path: `${G}/folders/{folderId}`,
    tag: "Folders",
    summary: "Delete a folder",
    ok: { status: 200, schema: deletedBody },
    errors: [409],
  },
  // Attachments
  {
    method: "get",
    path: `${G}/attachments/{attachmentId}`,
    tag: "Attachments",
    summary: "Attachment metadata",
    query: [q("message_id", "The message it belongs to")],
    ok: { status: 200, schema: single(ref("Attachment")) },
  },
  {
    method: "get",
    path: `${G}/attachments/{attachmentId}/download`,
    tag: "Attachments",
    summary: "Attachment bytes",
    query: [q("message_id", "The message it belongs to")],
    ok: {
      status: 200,
      contentType: "application/octet-stream",
      description: "The decoded bytes, with the part's Content-Type",
    },
  },
  // Signatures
  {
    method: "get",
    path: `${G}/signatures`,
    tag: "Signatures",
    summary: "List a grant's signatures",
    query: paging,
    ok: { status: 200, schema: page(ref("Signature")) },
  },
  {
    method: "post",
    path: `${G}/signatures`,
    tag: "Signatures",
    summary: "Create a signature (HTML, ≤ 100 KB)",
    body: { schema: object({ name: { type: "string" }, body: text("HTML") }, ["name", "body"]) },
    ok: { status: 201, schema: single(ref("Signature")) },
  },
  {
    method: "get",
    path: `${G}/signatures/{signatureId}`,
    tag: "Signatures",
    summary: "Get a signature",
    ok: { status: 200, schema: single(ref("Signature")) },
  },
  {
    method: "put",
    path: `${G}/signatures/{signatureId}`,
    tag: "Signatures",
    summary: "Update a signature",
    body: { schema: object({ name: { type: "string" }, body: text("HTML") }) },
    ok: { status: 200, schema: single(ref("Signature")) },
  },
  {
    method: "delete",
    path: `${G}/signatures/{signatureId}`,
    tag: "Signatures",
    summary: "Delete a signature",
    ok: { status: 200, schema: deletedBody },
  },
  // Templates
  {
    method: "get",
    path: `/v3/templates`,
    tag: "Templates",
    summary: "List the application's templates",
    query: paging,
    ok: { status: 200, schema: page(ref("Template")) },
  },
  {
    method: "post",
    path: `/v3/templates`,
    tag: "Templates",
    summary: "Create a template (the application's)",
    body: { schema: templateFields(["name", "subject", "body"]) },
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "post",
    path: `/v3/templates/render`,
    tag: "Templates",
    summary: "Render a template given in the body (the application's route)",
    body: { schema: { ...renderInput, required: ["body", "engine"] } },
    ok: { status: 200, schema: single(ref("RenderedTemplate")) },
  },
  {
    method: "get",
    path: `/v3/templates/{templateId}`,
    tag: "Templates",
    summary: "Get a template (the application's)",
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "put",
    path: `/v3/templates/{templateId}`,
    tag: "Templates",
    summary: "Update a template (the application's)",
    body: { schema: templateFields() },
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "delete",
    path: `/v3/templates/{templateId}`,
    tag: "Templates",
    summary: "Delete a template (the application's)",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: `/v3/templates/{templateId}/render`,
    tag: "Templates",
    summary: "Render a stored template (the application's)",
    body: { schema: renderVariables },
    ok: { status: 200, schema: single(ref("RenderedTemplate")) },
  },
  {
    method: "get",
    path: `${G}/templates`,
    tag: "Templates",
    summary: "List a grant's templates",
    query: paging,
    ok: { status: 200, schema: page(ref("Template")) },
  },
  {
    method: "post",
    path: `${G}/templates`,
    tag: "Templates",
    summary: "Create a template (a grant's)",
    body: { schema: templateFields(["name", "subject", "body"]) },
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "post",
    path: `${G}/templates/render`,
    tag: "Templates",
    summary: "Render a template given in the body (a grant's route)",
    body: { schema: { ...renderInput, required: ["body", "engine"] } },
    ok: { status: 200, schema: single(ref("RenderedTemplate")) },
  },
  {
    method: "get",
    path: `${G}/templates/{templateId}`,
    tag: "Templates",
    summary: "Get a template (a grant's)",
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "put",
    path: `${G}/templates/{templateId}`,
    tag: "Templates",
    summary: "Update a template (a grant's)",
    body: { schema: templateFields() },
    ok: { status: 200, schema: single(ref("Template")) },
  },
  {
    method: "delete",
    path: `${G}/templates/{templateId}`,
    tag: "Templates",
    summary: "Delete a template (a grant's)",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: `${G}/templates/{templateId}/render`,
    tag: "Templates",
    summary: "Render a stored template (a grant's)",
    body: { schema: renderVariables },
    ok: { status: 200, schema: single(ref("RenderedTemplate")) },
  },
  // Workflows
  {
    method: "get",
    path: `/v3/workflows`,
    tag: "Workflows",
    summary: "List the application's workflows",
    query: paging,
    ok: { status: 200, schema: page(ref("Workflow")) },
  },
  {
    method: "post",
    path: `/v3/workflows`,
    tag: "Workflows",
    summary: "Create a workflow (the application's)",
    body: { schema: workflowFields(["name", "template_id", "trigger_event"]) },
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "get",
    path: `/v3/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Get a workflow (the application's)",
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "put",
    path: `/v3/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Update a workflow (the application's)",
    body: { schema: workflowFields() },
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "delete",
    path: `/v3/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Delete a workflow (the application's)",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "get",
    path: `${G}/workflows`,
    tag: "Workflows",
    summary: "List a grant's workflows",
    query: paging,
    ok: { status: 200, schema: page(ref("Workflow")) },
  },
  {
    method: "post",
    path: `${G}/workflows`,
    tag: "Workflows",
    summary: "Create a workflow (a grant's)",
    body: { schema: workflowFields(["name", "template_id", "trigger_event"]) },
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "get",
    path: `${G}/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Get a workflow (a grant's)",
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "put",
    path: `${G}/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Update a workflow (a grant's)",
    body: { schema: workflowFields() },
    ok: { status: 200, schema: single(ref("Workflow")) },
  },
  {
    method: "delete",
    path: `${G}/workflows/{workflowId}`,
    tag: "Workflows",
    summary: "Delete a workflow (a grant's)",
    ok: { status: 200, schema: deletedBody },
  },
  // Calendars (src/api/routes/calendars.ts, calendar-events.ts, free-busy.ts, availability.ts)
  {
    method: "get",
    path: `${G}/calendars`,
    tag: "Calendars",
    summary: "List calendars (the primary first)",
    query: [...paging, select, q("metadata_pair", "key:value")],
    ok: { status: 200, schema: page(ref("Calendar")) },
  },
  {
    method: "post",
    path: `${G}/calendars`,
    tag: "Calendars",
    summary: "Create a calendar",
    body: { schema: calendarBody(["name"]) },
    ok: { status: 200, schema: single(ref("Calendar")) },
  },
  {
    method: "get",
    path: `${G}/calendars/{calendarId}`,
    tag: "Calendars",
    summary: "Get a calendar (`primary` or the account's address names the primary)",
    ok: { status: 200, schema: single(ref("Calendar")) },
  },
  {
    method: "put",
    path: `${G}/calendars/{calendarId}`,
    tag: "Calendars",
    summary: "Update a calendar",
    body: { schema: calendarBody() },
    ok: { status: 200, schema: single(ref("Calendar")) },
  },
  {
    method: "delete",
    path: `${G}/calendars/{calendarId}`,
    tag: "Calendars",
    summary: "Delete a calendar and its events (not the primary: 400)",
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: `${G}/calendars/free-busy`,
    tag: "Calendars",
    summary: "Busy times of addresses (accounts of this application; any other is an error entry)",
    body: {
      schema: object(
        { start_time: int, end_time: int, emails: { type: "array", items: { type: "string" } } },
        ["start_time", "end_time", "emails"],
      ),
      required: true,
    },
    ok: {
      status: 200,
      schema: object({ request_id: { type: "string" }, data: { type: "array", items: ref("FreeBusy") } }, [
        "request_id",
        "data",
      ]),
    },
  },
  {
    method: "post",
    path: "/v3/calendars/availability",
    tag: "Calendars",
    summary: "Slots when the participants (accounts of this application) are free",
    body: {
      schema: object(
        {
          start_time: int,
          end_time: int,
          duration_minutes: int,
          interval_minutes: int,
          round_to: int,
          participants: { type: "array", items: anyObject },
          availability_rules: anyObject,
        },
        ["start_time", "end_time", "duration_minutes", "participants"],
      ),
      required: true,
    },
    ok: { status: 200, schema: single(ref("Availability")) },
  },
  {
    method: "get",
    path: `${G}/events`,
    tag: "Calendars",
    summary: "List a calendar's events (recurring series expanded unless expand_recurring=false)",
    query: [
      calendarId,
      ...paging,
      select,
      q("start", "Ends after (Unix seconds)", int),
      q("end", "Starts before (Unix seconds)", int),
      q("title", "Title contains"),
      q("description", "Description contains"),
      q("location", "Location contains"),
      q("ical_uid", "iCalendar UID"),
      q("master_event_id", "Occurrences of one series"),
      q("busy", "Busy or not", bool),
      q("show_cancelled", "Include cancelled events", bool),
      q("expand_recurring", "Occurrences instead of series (default true)", bool),
      q("metadata_pair", "key:value"),
      q("updated_before", "Unix seconds", int),
      q("updated_after", "Unix seconds", int),
    ],
    ok: { status: 200, schema: page(ref("Event")) },
  },
  {
    method: "get",
    path: `${G}/events/import`,
    tag: "Calendars",
    summary: "Every event of a calendar, series unexpanded (≤ 500 a page)",
    query: [calendarId, ...paging, select, q("start", "Unix seconds", int), q("end", "Unix seconds", int)],
    ok: { status: 200, schema: page(ref("Event")) },
  },
  {
    method: "post",
    path: `${G}/events`,
    tag: "Calendars",
    summary: "Create an event (invitations sent unless notify_participants=false)",
    query: [calendarId, notifyParticipants, select],
    body: { schema: eventBody(["when"]), required: true },
    ok: { status: 200, schema: single(ref("Event")) },
  },
  {
    method: "get",
    path: `${G}/events/{eventId}`,
    tag: "Calendars",
    summary: "Get an event or one occurrence",
    query: [calendarId, select],
    ok: { status: 200, schema: single(ref("Event")) },
  },
  {
    method: "put",
    path: `${G}/events/{eventId}`,
    tag: "Calendars",
    summary: "Update an event (an occurrence becomes an exception)",
    query: [calendarId, notifyParticipants, select],
    body: { schema: eventBody() },
    ok: { status: 200, schema: single(ref("Event")) },
  },
  {
    method: "delete",
    path: `${G}/events/{eventId}`,
    tag: "Calendars",
    summary: "Delete an event (cancellations sent unless notify_participants=false)",
    query: [calendarId, notifyParticipants],
    ok: { status: 200, schema: deletedBody },
  },
  {
    method: "post",
    path: `${G}/events/{eventId}/send-rsvp`,
    tag: "Calendars",
    summary: "Answer an invitation (yes, no, maybe); the organizer gets a REPLY",
    query: [calendarId, q("skip_nylas_email", "Record the answer without mailing the organizer", bool)],
    body: {
      schema: object({ status: { type: "string", enum: ["yes", "no", "maybe"] } }, ["status"]),
      required: true,
    },
    ok: {
      status: 200,
      schema: single(
        object({ send_ics_error: { type: "string", description: "Why the REPLY could not be sent" } }),
      ),
    },
  },
  // Webhooks
  {
    method: "get",
    path: "/v3/webhooks/ip-addresses",
    tag: "Webhooks",
    summary: "Addresses notifications come from",
    ok: { status: 200, schema: single(ref("IpAddresses")) },
  },
  {
    method: "post",
    path: "/v3/webhooks/mock-payload",
    tag: "Webhooks",
    summary: "An example notification of a trigger type",
    body: { schema: object({ trigger_type: { type: "string" } }, ["trigger_type"]) },
    ok: { status: 200, schema: single(ref("Notification")) },
  },
  {
    method: "post",
    path: "/v3/webhooks/send-test-event",
    tag: "Webhooks",
    summary: "Post an example notification to a URL",
    body: {
      schema: object({ trigger_type: { type: "string" }, webhook_url: { type: "string" } }, [
        "trigger_type",
        "webhook_url",
      ]),
    },
    ok: { status: 200, schema: single({ type: "string", const: "success" }) },
  },
  {
    method: "post",
    path: "/v3/webhooks/rotate-secret/{id}",
    tag: "Webhooks",
    summary: "Rotate a webhook's secret",
    ok: { status: 200, schema: single(ref("Webhook")) },
  },
  {
    method: "get",
    path: "/v3/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "A webhook's delivery attempts, newest first (agentbox)",
    query: paging,
    ok: { status: 200, schema: page(ref("WebhookDeliveryAttempt")) },
  },
  {
    method: "post",
    path: "/v3/webhooks/{id}/deliveries/{notification}/resend",
    tag: "Webhooks",
    summary: "Send a notification this webhook was sent once more, now (agentbox)",
    ok: {
      status: 200,
      schema: single(
        object({ notification_id: { type: "string" }, status: { const: "pending" } }, [
          "notification_id",
          "status",
        ]),
      ),
    },
  },
  {
    method: "get",
    path: "/v3/webhooks",
    tag: "Webhooks",
    summary: "List webhooks",
    ok: { status: 200, schema: page(ref("Webhook")) },
  },
  {
    method: "post",
    path: "/v3/webhooks",
    tag: "Webhooks",
    summary: "Create a webhook (the URL must answer its challenge)",
    body: {
      schema: object(
        {
          trigger_types: { type: "array", items: { type: "string" } },
          webhook_url: { type: "string" },
          description: { type: "string" },
          notification_email_addresses: { type: "array", items: { type: "string" } },
        },
        ["trigger_types", "webhook_url"],
      ),
    },
    ok: { status: 200, schema: single(ref("Webhook")) },
  },
  {
    method: "get",
    path: "/v3/webhooks/{id}",
    tag: "Webhooks",
    summary: "Get a webhook with its delivery state",
    ok: { status: 200, schema: single(ref("Webhook")) },
  },
  {
    method: "put",
    path: "/v3/webhooks/{id}",
    tag: "Webhooks",
    summary: "Update a webhook (status pause or active)",
    body: { schema: anyObject },
    ok: { status: 200, schema: single(ref("Webhook")) },
  },
  {
    method: "delete",
    path: "/v3/webhooks/{id}",
    tag: "Webhooks",
    summary: "Delete a webhook",
    ok: { status: 200, schema: deletedBody },
  },
  // Events (agentbox)
  {
    method: "get",
    path: "/v3/events",
    tag: "Events",
    summary: "The event log (what webhooks deliver), oldest first",
    query: [
      q("after", "Position to read after"),
      q("page_token", "Same as after"),
      q("limit", "Page size (≤ 200)", int),
      q("types", "Trigger types (comma-separated)"),
      q("grant_id", "One account"),
    ],
    ok: { status: 200, schema: page(ref("Notification")) },
  },
  {
    method: "get",
    path: "/v3/events/stream",
    tag: "Events",
    summary: "The event log as Server-Sent Events (resumes from Last-Event-ID)",
    query: [
      q("after", "Position to start after"),
      q("types", "Trigger types (comma-separated)"),
      q("grant_id", "One account"),
    ],
    ok: {
      status: 200,
      contentType: "text/event-stream",
      description: "One event per notification, id = its log position",
    },
  },
  // Guardrails (issue 14): policies, rules, lists and their items, workspaces, rule evaluations
  ...crud("/v3/policies", "Policies", "policy", "Policy", 200, "put", policyBody),
  {
    method: "post",
    path: "/v3/rules/evaluate",
    tag: "Rules",
    summary: "Dry run: what the rules would do to a message (agentbox; nothing applied or recorded)",
    body: { schema: evaluateBody, required: true },
    ok: { status: 200, schema: single(ref("RuleDryRun")) },
    errors: [503],
  },
  ...crud("/v3/rules", "Rules", "rule", "Rule", 201, "put", ruleBody),
  {
    method: "get",
    path: `${G}/rule-evaluations`,
    tag: "Rules",
    summary: "A grant's rule evaluations, newest first",
    query: paging,
    ok: { status: 200, schema: page(ref("RuleEvaluation")) },
  },
  ...crud("/v3/lists", "Lists", "list", "List", 201, "put", listBody),
  {
    method: "get",
    path: "/v3/lists/{id}/items",
    tag: "Lists",
    summary: "A list's items",
    query: paging,
    ok: { status: 200, schema: page(ref("ListItem")) },
  },
  {
    method: "post",
    path: "/v3/lists/{id}/items",
    tag: "Lists",
    summary: "Add items (each checked against the list's type)",
    body: { schema: listItemsBody, required: true },
    ok: { status: 200, schema: single(ref("List")) },
  },
  {
    method: "delete",
    path: "/v3/lists/{id}/items",
    tag: "Lists",
    summary: "Remove items",
    body: { schema: listItemsBody, required: true },
    ok: { status: 200, schema: single(ref("List")) },
  },
  {
    method: "get",
    path: accountList,
    tag: "Lists",
    summary:
      "An account's own allow or block list (agentbox; direction send|receive|reply, type allow|block)",
    query: paging,
    ok: { status: 200, schema: page(ref("AccountEntry")) },
  },
  {
    method: "post",
    path: accountList,
    tag: "Lists",
    summary: "Add an address or a domain to an account's list (applies at the next message)",
    body: { schema: accountEntryBody, required: true },
    ok: { status: 200, schema: single(ref("AccountEntry")) },
  },
  {
    method: "get",
    path: `${accountList}/{entry}`,
    tag: "Lists",
    summary: "Get an entry of an account's list",
    ok: { status: 200, schema: single(ref("AccountEntry")) },
  },
  {
    method: "delete",
    path: `${accountList}/{entry}`,
    tag: "Lists",
    summary: "Remove an entry from an account's list",
    ok: { status: 200, schema: deletedBody },
  },
  ...crud("/v3/workspaces", "Workspaces", "workspace", "Workspace", 200, "patch", workspaceBody).map((op) =>
    op.method === "get" && op.path === "/v3/workspaces"
      ? { ...op, query: undefined, ok: { status: 200, schema: workspaceList } }
      : op,
  ),
  {
    method: "post",
    path: "/v3/workspaces/auto-group",
    tag: "Workspaces",
    summary: "Start a background job placing the application's grants in workspaces by domain",
    body: {
      schema: object({
        after_created_at: { ...int, description: "Unix seconds" },
        invalid_also: bool,
        specific_domain: { type: "string" },
      }),
    },
    ok: {
      status: 200,
      schema: single(
        object({ job_id: { type: "string" }, message: { type: "string" } }, ["job_id", "message"]),
      ),
    },
  },
  {
    method: "get",
    path: "/v3/workspaces/auto-group/{job_id}",
    tag: "Workspaces",
    summary:
      "Where an auto-group job stands: running, completed (with its counts) or failed (agentbox's own)",
    ok: { status: 200, schema: single(ref("AutoGroupJob")) },
  },
  {
    method: "post",
    path: "/v3/workspaces/{id}/manual-assign",
    tag: "Workspaces",
    summary: "Assign grants to a workspace (auto_group false), or remove them",
    body: {
      schema: object({
        assign_grants: { type: "array", items: { type: "string" } },
        remove_grants: { type: "array", items: { type: "string" } },
      }),
      required: true,
    },
    ok: {
      status: 200,
      schema: single(
        object(
          {
            application_id: { type: "string" },
            workspace_id: { type: "string" },
            domain: { anyOf: [{ type: "string" }, { type: "null" }] },
            grants_assigned: { anyOf: [idArray, { type: "null" }], description: "The grant ids assigned" },
            grants_removed: { anyOf: [idArray, { type: "null" }], description: "The grant ids removed" },
          },
          ["application_id", "workspace_id"],
        ),
      ),
    },
  },
  {
    method: "post",
    path: `${G}/messages/{messageId}/release`,
    tag: "Messages",
    summary: "Release a message an outbound rule held for review: it is sent (agentbox)",
    ok: {
      status: 200,
      schema: object({ request_id: { type: "string" }, grant_id: { type: "string" }, data: ref("Message") }, [
        "request_id",
        "grant_id",
        "data",
      ]),
    },
  },
  // The server itself
  {
    method: "get",
    path: "/v3/openapi.json",
    tag: "Server",
    summary: "This document",
    ok: { status: 200, schema: anyObject },
    auth: "none",
  },
  {
    method: "get",
    path: "/docs",
    tag: "Server",
    summary: "This document, as a page to browse",
    ok: { status: 200, contentType: "text/html" },
    auth: "none",
  },
  {
    method: "get",
    path: "/",
    tag: "Server",
    summary: "What this server is and where its documents are",
    ok: { status: 200, schema: anyObject },
    auth: "none",
  },
  {
    method: "get",
    path: "/healthz",
    tag: "Server",
    summary: "Readiness: 200 once serving, 503 while starting",
    ok: { status: 200, schema: { type: "object", properties: { status: { type: "string" } } } },
    errors: [503],
    auth: "none",
  },
  {
    method: "get",
    path: "/metrics",
    tag: "Server",
    summary: "Prometheus metrics",
    ok: { status: 200, contentType: "text/plain" },
    auth: "none",
  },
  {
    method: "post",
    path: "/mcp",
    tag: "MCP",
    summary: "Model Context Protocol, Streamable HTTP (stateless, JSON answers; docs/mcp.md)",
    body: { schema: { type: "object", description: "A JSON-RPC 2.0 message or batch" } },
    ok: { status: 200, schema: { type: "object", description: "The JSON-RPC answer" } },
    errors: [405, 413],
  },
];
