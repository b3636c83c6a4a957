/**
 * The drizzle view of the tables created by ./migrations/*.sql. The SQL files are the source of
 * truth for the database; test/store/schema.test.ts checks that every column here exists there.
 */
import { blob, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const applications = sqliteTable("applications", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  settingsJson: text("settings_json").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  keyHash: text("key_hash").notNull(),
  keyPrefix: text("key_prefix").notNull(),
  fromEnv: integer("from_env", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
  expiresAt: integer("expires_at"),
});

export const serviceAccounts = sqliteTable("service_accounts", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  publicKeyPem: text("public_key_pem").notNull(),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
});

export const domains = sqliteTable("domains", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  domainAddress: text("domain_address").notNull(),
  region: text("region").notNull().default("us"),
  isTrial: integer("is_trial", { mode: "boolean" }).notNull().default(false),
  ownershipToken: text("ownership_token").notNull(),
  dkimSelector: text("dkim_selector").notNull(),
  dkimPrivateKey: text("dkim_private_key").notNull(),
  dkimPublicKey: text("dkim_public_key").notNull(),
  verifiedOwnership: integer("verified_ownership", { mode: "boolean" }).notNull().default(false),
  verifiedMx: integer("verified_mx", { mode: "boolean" }).notNull().default(false),
  verifiedSpf: integer("verified_spf", { mode: "boolean" }).notNull().default(false),
  verifiedDkim: integer("verified_dkim", { mode: "boolean" }).notNull().default(false),
  verifiedFeedback: integer("verified_feedback", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const connectors = sqliteTable(
  "connectors",
  {
    applicationId: text("application_id").notNull(),
    provider: text("provider").notNull(),
    name: text("name").notNull(),
    settingsJson: text("settings_json").notNull().default("{}"),
    scopeJson: text("scope_json").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.provider] })],
);

export const grants = sqliteTable("grants", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  domainId: text("domain_id").notNull(),
  email: text("email").notNull(),
  name: text("name"),
  workspaceId: text("workspace_id"),
  provider: text("provider").notNull().default("nylas"),
  grantStatus: text("grant_status").notNull().default("valid"),
  settingsJson: text("settings_json").notNull().default("{}"),
  appPasswordHash: text("app_password_hash"),
  passwordVersion: integer("password_version").notNull().default(0),
  storageQuotaBytes: integer("storage_quota_bytes").notNull(),
  storageUsedBytes: integer("storage_used_bytes").notNull().default(0),
  dailySendLimit: integer("daily_send_limit").notNull(),
  highestModseq: integer("highest_modseq").notNull().default(1),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  uidValidityHigh: integer("uid_validity_high").notNull().default(0),
});

export const folders = sqliteTable(
  "folders",
  {
    grantId: text("grant_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    parentId: text("parent_id"),
    specialUse: text("special_use"),
    systemFolder: integer("system_folder", { mode: "boolean" }).notNull().default(false),
    uidValidity: integer("uid_validity").notNull(),
    uidNext: integer("uid_next").notNull().default(1),
    subscribed: integer("subscribed", { mode: "boolean" }).notNull().default(true),
    textColor: text("text_color"),
    backgroundColor: text("background_color"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.id] })],
);

export const blobs = sqliteTable("blobs", {
  hash: text("hash").primaryKey(),
  size: integer("size").notNull(),
  data: blob("data", { mode: "buffer" }).notNull(),
});

export const messages = sqliteTable("messages", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  folderId: text("folder_id").notNull(),
  uid: integer("uid").notNull(),
  modseq: integer("modseq").notNull(),
  seen: integer("seen", { mode: "boolean" }).notNull().default(false),
  flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
  answered: integer("answered", { mode: "boolean" }).notNull().default(false),
  draft: integer("draft", { mode: "boolean" }).notNull().default(false),
  deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
  keywordsJson: text("keywords_json").notNull().default("[]"),
  blobHash: text("blob_hash").notNull(),
  size: integer("size").notNull(),
  internalDate: integer("internal_date").notNull(),
  messageIdHeader: text("message_id_header"),
  metadataJson: text("metadata_json").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  threadId: text("thread_id"),
  subject: text("subject"),
  fromJson: text("from_json").notNull().default("[]"),
  toJson: text("to_json").notNull().default("[]"),
  ccJson: text("cc_json").notNull().default("[]"),
  bccJson: text("bcc_json").notNull().default("[]"),
  replyToJson: text("reply_to_json").notNull().default("[]"),
  snippet: text("snippet").notNull().default(""),
  hasAttachments: integer("has_attachments", { mode: "boolean" }).notNull().default(false),
  inReplyTo: text("in_reply_to"),
  referencesJson: text("references_json").notNull().default("[]"),
  dateHeader: integer("date_header"),
  extractedJson: text("extracted_json").notNull().default('{"codes":[],"links":[]}'),
  subjectFolded: text("subject_folded"),
  /** SPF/DKIM/DMARC/ARC verdicts of a message received by the MX (src/smtp/verify.ts). */
  authenticationJson: text("authentication_json"),
  /** IMAP SORT and THREAD keys (src/mail/sort-keys.ts, migration 0015); null until computed. */
  sortSubject: text("sort_subject"),
  subjectReply: integer("subject_reply", { mode: "boolean" }),
  sortFrom: text("sort_from"),
  sortTo: text("sort_to"),
  sortCc: text("sort_cc"),
  displayFrom: text("display_from"),
  displayTo: text("display_to"),
  /** The spam verdict of the account's policy, for a message the MX scored (src/spam/). */
  spamJson: text("spam_json"),
});

export const folderCounts = sqliteTable(
  "folder_counts",
  {
    grantId: text("grant_id").notNull(),
    folderId: text("folder_id").notNull(),
    total: integer("total").notNull().default(0),
    unread: integer("unread").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.folderId] })],
);

export const messageReferences = sqliteTable("message_references", {
  grantId: text("grant_id").notNull(),
  refId: text("ref_id").notNull(),
  messageId: text("message_id").notNull(),
});

export const messageBodies = sqliteTable("message_bodies", {
  messageId: text("message_id").primaryKey(),
  body: text("body").notNull(),
});

export const messageMime = sqliteTable("message_mime", {
  messageId: text("message_id").primaryKey(),
  envelopeJson: text("envelope_json").notNull(),
  bodystructureJson: text("bodystructure_json").notNull(),
  treeJson: text("tree_json").notNull(),
});

/** IMAP SEARCH TEXT / BODY's text (src/mail/search/imap-text.ts). */
export const messageSearchText = sqliteTable("message_search_text", {
  messageId: text("message_id").primaryKey(),
  header: text("header").notNull(),
  body: text("body").notNull(),
});

export const messageAddresses = sqliteTable("message_addresses", {
  messageId: text("message_id").notNull(),
  grantId: text("grant_id").notNull(),
  kind: text("kind").notNull(),
  email: text("email").notNull(),
});

export const attachments = sqliteTable("attachments", {
  id: text("id").primaryKey(),
  messageId: text("message_id").notNull(),
  grantId: text("grant_id").notNull(),
  partPath: text("part_path").notNull(),
  filename: text("filename"),
  contentType: text("content_type").notNull(),
  size: integer("size").notNull(),
  contentId: text("content_id"),
  disposition: text("disposition"),
  isInline: integer("is_inline", { mode: "boolean" }).notNull().default(false),
});

export const threads = sqliteTable("threads", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  subjectKey: text("subject_key").notNull(),
  createdAt: integer("created_at").notNull(),
  latestMessageAt: integer("latest_message_at").notNull(),
});

export const calendars = sqliteTable("calendars", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  name: text("name").notNull(),
  description: text("description"),
  timezone: text("timezone"),
  isPrimary: integer("is_primary", { mode: "boolean" }).notNull().default(false),
  location: text("location"),
  hexColor: text("hex_color"),
  metadataJson: text("metadata_json").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** Moves with every change to one of its events: CalDAV's CTag and sync-token. */
  davSeq: integer("dav_seq").notNull().default(0),
});

/** One event of a calendar: single, a series' master, or one occurrence's exception. */
export const calendarEvents = sqliteTable("calendar_events", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  calendarId: text("calendar_id").notNull(),
  icalUid: text("ical_uid").notNull(),
  masterEventId: text("master_event_id"),
  originalStartTime: integer("original_start_time"),
  title: text("title"),
  description: text("description"),
  location: text("location"),
  busy: integer("busy", { mode: "boolean" }).notNull().default(true),
  visibility: text("visibility"),
  status: text("status").notNull().default("confirmed"),
  whenJson: text("when_json").notNull(),
  startAt: integer("start_at").notNull(),
  endAt: integer("end_at").notNull(),
  recurrenceJson: text("recurrence_json"),
  seriesEnd: integer("series_end"),
  participantsJson: text("participants_json").notNull().default("[]"),
  organizerJson: text("organizer_json"),
  remindersJson: text("reminders_json"),
  conferencingJson: text("conferencing_json"),
  metadataJson: text("metadata_json").notNull().default("{}"),
  capacity: integer("capacity"),
  hideParticipants: integer("hide_participants", { mode: "boolean" }).notNull().default(false),
  sequence: integer("sequence").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** The CalDAV resource name of a single event or a series' master (null on exceptions). */
  davName: text("dav_name"),
  /** The calendar's dav_seq at this resource's last change (its ETag). */
  davSeq: integer("dav_seq").notNull().default(0),
});

/** A deleted CalDAV resource, for sync-collection (RFC 6578). */
export const calendarDavTombstones = sqliteTable(
  "calendar_dav_tombstones",
  {
    calendarId: text("calendar_id").notNull(),
    davName: text("dav_name").notNull(),
    davSeq: integer("dav_seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.davName] })],
);

/** How far event.starting / event.ending have been recorded (one row). */
export const calendarClock = sqliteTable("calendar_clock", {
  id: integer("id").primaryKey(),
  firedThrough: integer("fired_through").notNull(),
});

export const events = sqliteTable("events", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  id: text("id").notNull(),
  applicationId: text("application_id").notNull(),
  grantId: text("grant_id"),
  type: text("type").notNull(),
  objectJson: text("object_json").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
});

export const outboundQueue = sqliteTable("outbound_queue", {
  id: text("id").primaryKey(),
  /** Null for a transactional send (an application's domain, no account). */
  grantId: text("grant_id"),
  applicationId: text("application_id").notNull(),
  messageId: text("message_id").notNull(),
  mailFrom: text("mail_from").notNull(),
  rcptTo: text("rcpt_to").notNull(),
  blobHash: text("blob_hash").notNull(),
  status: text("status", { enum: ["queued", "sending", "delivered", "failed"] })
    .notNull()
    .default("queued"),
  attempts: integer("attempts").notNull().default(0),
  nextAttemptAt: integer("next_attempt_at").notNull(),
  lastError: text("last_error"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const scheduledSends = sqliteTable("scheduled_sends", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  messageId: text("message_id").notNull(),
  sendAt: integer("send_at").notNull(),
  status: text("status", { enum: ["pending", "sent", "failed", "cancelled"] })
    .notNull()
    .default("pending"),
  description: text("description"),
  closeTime: integer("close_time"),
  sentRaw: blob("sent_raw", { mode: "buffer" }).notNull(),
  deliveryRaw: blob("delivery_raw", { mode: "buffer" }).notNull(),
  recipientsJson: text("recipients_json").notNull(),
  metadataJson: text("metadata_json").notNull().default("{}"),
  flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
  answeredId: text("answered_id"),
  createdAt: integer("created_at").notNull(),
  /** The send's tracking (a TrackingRequest), applied when it is sent. */
  trackingJson: text("tracking_json"),
});
export type ScheduledSendRow = typeof scheduledSends.$inferSelect;

/** One-off jobs a migration leaves for the server to run at its next start (migrations 0012, 0013). */
export const maintenanceTasks = sqliteTable("maintenance_tasks", {
  name: text("name").primaryKey(),
  createdAt: integer("created_at").notNull(),
  /** How far the task got: the last `messages.rowid` it finished (migration 0013). */
  progress: integer("progress").notNull().default(0),
});

export const transactionalIdempotencyKeys = sqliteTable(
  "transactional_idempotency_keys",
  {
    applicationId: text("application_id").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: ["in_flight", "done"] }).notNull(),
    responseStatus: integer("response_status"),
    responseJson: text("response_json"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.key] })],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    grantId: text("grant_id").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: ["in_flight", "done"] }).notNull(),
    responseStatus: integer("response_status"),
    responseJson: text("response_json"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.key] })],
);

export const sendCounts = sqliteTable(
  "send_counts",
  {
    grantId: text("grant_id").notNull(),
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.day] })],
);

export const webhooks = sqliteTable("webhooks", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  url: text("url").notNull(),
  description: text("description"),
  triggerTypesJson: text("trigger_types_json").notNull(),
  secret: text("secret").notNull(),
  status: text("status", { enum: ["active", "pause", "failing", "failed"] })
    .notNull()
    .default("active"),
  statusUpdatedAt: integer("status_updated_at").notNull(),
  compressedDelivery: integer("compressed_delivery", { mode: "boolean" }).notNull().default(false),
  notificationEmailAddressesJson: text("notification_email_addresses_json").notNull().default("[]"),
  cursor: integer("cursor").notNull(),
  lastSuccessAt: integer("last_success_at"),
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookId: text("webhook_id").notNull(),
    eventSeq: integer("event_seq").notNull(),
    notificationId: text("notification_id").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    nextAttemptAtMs: integer("next_attempt_at_ms").notNull(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.eventSeq] })],
);

/** UIDs that left a folder, with the MODSEQ of their departure (IMAP QRESYNC). */
export const expunged = sqliteTable(
  "expunged",
  {
    grantId: text("grant_id").notNull(),
    folderId: text("folder_id").notNull(),
    uid: integer("uid").notNull(),
    modseq: integer("modseq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.folderId, t.uid] })],
);

/** Subscribed IMAP names whose folder IMAP deleted (RFC 3501 §6.3.6). */
export const imapSubscriptions = sqliteTable(
  "imap_subscriptions",
  {
    grantId: text("grant_id").notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.name] })],
);

/** URLAUTH (RFC 4467): each mailbox's secret key, which signs its URLs. */
export const imapUrlKeys = sqliteTable(
  "imap_url_keys",
  {
    grantId: text("grant_id").notNull(),
    folderId: text("folder_id").notNull(),
    secret: blob("secret", { mode: "buffer" }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.folderId] })],
);

export const signatures = sqliteTable("signatures", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  name: text("name").notNull(),
  body: text("body").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** `grantId` null: an application-level template. */
export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  grantId: text("grant_id"),
  name: text("name").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  engine: text("engine").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const workflows = sqliteTable("workflows", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  grantId: text("grant_id"),
  name: text("name").notNull(),
  templateId: text("template_id").notNull(),
  triggerEvent: text("trigger_event").notNull(),
  delay: integer("delay").notNull().default(0),
  isEnabled: integer("is_enabled", { mode: "boolean" }).notNull().default(true),
  fromJson: text("from_json"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const contacts = sqliteTable("contacts", {
  id: text("id").primaryKey(),
  grantId: text("grant_id").notNull(),
  fieldsJson: text("fields_json").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** A message sent with tracking_options (migration 0020): its pixel and links carry `token`. */
export const trackedMessages = sqliteTable("tracked_messages", {
  token: text("token").primaryKey(),
  applicationId: text("application_id").notNull(),
  grantId: text("grant_id"),
  messageId: text("message_id").notNull(),
  rfc822Id: text("rfc822_id"),
  label: text("label"),
  opens: integer("opens", { mode: "boolean" }).notNull().default(false),
  links: integer("links", { mode: "boolean" }).notNull().default(false),
  threadReplies: integer("thread_replies", { mode: "boolean" }).notNull().default(false),
  linksJson: text("links_json").notNull().default("[]"),
  replyCount: integer("reply_count").notNull().default(0),
  createdAt: integer("created_at").notNull(),
});

export const trackingHits = sqliteTable("tracking_hits", {
  id: integer("id").primaryKey(),
  token: text("token").notNull(),
  kind: text("kind", { enum: ["open", "click"] }).notNull(),
  linkIndex: integer("link_index"),
  ip: text("ip"),
  userAgent: text("user_agent"),
  at: integer("at").notNull(),
});

export type GrantRow = typeof grants.$inferSelect;
export type DomainRow = typeof domains.$inferSelect;
export type FolderRow = typeof folders.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type ThreadRow = typeof threads.$inferSelect;
export type OutboundRow = typeof outboundQueue.$inferSelect;
export type WebhookRow = typeof webhooks.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type SignatureRow = typeof signatures.$inferSelect;
export type TemplateRow = typeof templates.$inferSelect;
export type WorkflowRow = typeof workflows.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;

export type CalendarRow = typeof calendars.$inferSelect;
export type CalendarEventRow = typeof calendarEvents.$inferSelect;

export const receiveCounts = sqliteTable(
  "receive_counts",
  {
    grantId: text("grant_id").notNull(),
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.day] })],
);

export const policies = sqliteTable("policies", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  limitsJson: text("limits_json").notNull().default("{}"),
  spamDetectionJson: text("spam_detection_json").notNull().default("{}"),
  optionsJson: text("options_json").notNull().default("{}"),
  ruleIdsJson: text("rule_ids_json").notNull().default("[]"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const rules = sqliteTable("rules", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  description: text("description"),
  priority: integer("priority").notNull().default(10),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  trigger: text("trigger", { enum: ["inbound", "outbound"] })
    .notNull()
    .default("inbound"),
  matchJson: text("match_json").notNull(),
  actionsJson: text("actions_json").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const lists = sqliteTable("lists", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  description: text("description"),
  type: text("type", { enum: ["domain", "tld", "address"] }).notNull(),
  itemsCount: integer("items_count").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** An account's own allow or block list (migration 0020); null for the application's lists. */
  grantId: text("grant_id"),
});

export const listItems = sqliteTable(
  "list_items",
  {
    listId: text("list_id").notNull(),
    value: text("value").notNull(),
    id: text("id").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Why it was added (an account list entry's `reason`). */
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.listId, t.value] })],
);

export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  name: text("name").notNull(),
  domain: text("domain").notNull(),
  autoGroup: integer("auto_group", { mode: "boolean" }).notNull().default(true),
  isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
  policyId: text("policy_id"),
  ruleIdsJson: text("rule_ids_json").notNull().default("[]"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const autoGroupJobs = sqliteTable("auto_group_jobs", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  status: text("status", { enum: ["running", "completed", "failed"] }).notNull(),
  filterJson: text("filter_json").notNull(),
  grantsMatched: integer("grants_matched"),
  grantsMoved: integer("grants_moved"),
  error: text("error"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const ruleEvaluations = sqliteTable("rule_evaluations", {
  id: text("id").primaryKey(),
  applicationId: text("application_id").notNull(),
  grantId: text("grant_id").notNull(),
  messageId: text("message_id"),
  stage: text("stage", { enum: ["smtp_rcpt", "inbox_processing", "outbound_send"] }).notNull(),
  inputJson: text("input_json").notNull(),
  appliedJson: text("applied_json").notNull(),
  matchedRuleIdsJson: text("matched_rule_ids_json").notNull(),
  evaluatedAt: integer("evaluated_at").notNull(),
});

export const heldMessages = sqliteTable("held_messages", {
  messageId: text("message_id").primaryKey(),
  grantId: text("grant_id").notNull(),
  recipientsJson: text("recipients_json").notNull(),
  answeredId: text("answered_id"),
  matchedRuleIdsJson: text("matched_rule_ids_json").notNull(),
  heldAt: integer("held_at").notNull(),
});

export type HeldMessageRow = typeof heldMessages.$inferSelect;
export type PolicyRow = typeof policies.$inferSelect;
export type RuleRow = typeof rules.$inferSelect;
export type ListRow = typeof lists.$inferSelect;
export type ListItemRow = typeof listItems.$inferSelect;
export type WorkspaceRow = typeof workspaces.$inferSelect;
export type AutoGroupJobRow = typeof autoGroupJobs.$inferSelect;
export type RuleEvaluationRow = typeof ruleEvaluations.$inferSelect;
export type TrackedMessageRow = typeof trackedMessages.$inferSelect;

export const connectedAccounts = sqliteTable("connected_accounts", {
  grantId: text("grant_id").primaryKey(),
  imapHost: text("imap_host").notNull(),
  imapPort: integer("imap_port").notNull(),
  imapSecurity: text("imap_security").notNull(),
  imapUsername: text("imap_username").notNull(),
  imapPasswordSealed: text("imap_password_sealed").notNull(),
  smtpHost: text("smtp_host").notNull(),
  smtpPort: integer("smtp_port").notNull(),
  smtpSecurity: text("smtp_security").notNull(),
  smtpUsername: text("smtp_username").notNull(),
  smtpPasswordSealed: text("smtp_password_sealed").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
/** Connected IMAP accounts: a local message ↔ its place at the provider (src/connected/). */
export const providerMessages = sqliteTable(
  "provider_messages",
  {
    grantId: text("grant_id").notNull(),
    folderPath: text("folder_path").notNull(),
    uidValidity: integer("uid_validity").notNull(),
    uid: integer("uid").notNull(),
    messageId: text("message_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.folderPath, t.uidValidity, t.uid] })],
);

/** Connected IMAP accounts: each provider folder's sync state. */
export const providerFolders = sqliteTable(
  "provider_folders",
  {
    grantId: text("grant_id").notNull(),
    folderPath: text("folder_path").notNull(),
    folderId: text("folder_id").notNull(),
    uidValidity: integer("uid_validity"),
    uidNext: integer("uid_next"),
    highestModseq: integer("highest_modseq"),
    initialLowUid: integer("initial_low_uid"),
    initialDone: integer("initial_done", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.grantId, t.folderPath] })],
);

/** Connected IMAP accounts: the grant's sync milestones. */
export const providerSync = sqliteTable("provider_sync", {
  grantId: text("grant_id").primaryKey(),
  initialCompletedAt: integer("initial_completed_at"),
});

export type ProviderFolderRow = typeof providerFolders.$inferSelect;
