import { dataOf, type Envelope, sourceOf } from "../events/envelope.ts";
import { newUuid, nowSeconds } from "../ids.ts";

const GRANT = "00000000-0000-4000-8000-000000000001";
const GRANT_CODES: Record<string, number> = {
  "grant.created": 25012,
  "grant.updated": 25014,
  "grant.deleted": 25013,
  "grant.expired": 25009,
  "grant.imap_sync_completed": 25012,
};

/**
 * An example notification for a trigger (POST /v3/webhooks/mock-payload, send-test-event): the
 * shape a real one of that type has, with made-up values and `seq` 0.
 */
export function mockEnvelope(trigger: string, applicationId: string): Envelope {
  return {
    specversion: "1.0",
    type: trigger,
    source: sourceOf(trigger),
    id: newUuid(),
    time: nowSeconds(),
    webhook_delivery_attempt: 1,
    seq: 0,
    data: dataOf(trigger, applicationId, GRANT, mockObject(trigger)),
  };
}

function mockObject(trigger: string): Record<string, unknown> {
  const [family] = trigger.split(".");
  if (trigger.startsWith("grant.")) return grantObject(trigger);
  if (trigger === "message.deleted") return { id: "mock-message-id", grant_id: GRANT, object: "message" };
  if (/^message\.(delivered|bounced|complaint|rejected)$/.test(trigger)) return deliverability(trigger);
  if (trigger === "message.send_success") return { ...message(false), ...schedule() };
  if (trigger === "message.send_failed") {
    const reason = "Mock failure: the daily send limit is used up.";
    return {
      object: "message",
      id: "mock-message-id",
      grant_id: GRANT,
      ...schedule(),
      reason,
      error: { type: "rate_limit_error", message: reason, status_code: 429 },
    };
  }
  const tracking = TRACKING[trigger.replace(/\.legacy$/, "")];
  if (tracking) return tracking();
  if (family === "message") return message(trigger.endsWith(".truncated"));
  if (family === "folder") return folder(trigger === "folder.deleted");
  if (family === "calendar") {
    return { id: "primary", grant_id: GRANT, name: "Calendar", object: "calendar", is_primary: true };
  }
  if (family === "event") {
    const start = nowSeconds() + 86_400;
    return {
      id: "mock-event-id",
      grant_id: GRANT,
      calendar_id: "primary",
      object: "event",
      title: "Planning",
      when: { object: "timespan", start_time: start, end_time: start + 1800 },
    };
  }
  if (family === "contact") return contact(trigger === "contact.deleted");
  return { id: `mock-${family}-id`, grant_id: GRANT, object: family };
}

/** A contact as GET /contacts/{id} presents it; a deleted one as its event recorded it. */
function contact(deleted: boolean): Record<string, unknown> {
  const recorded = { id: "mock-contact-id", grant_id: GRANT, object: "contact" };
  if (deleted) return recorded;
  return {
    ...recorded,
    source: "address_book",
    given_name: "Kim",
    surname: "Lee",
    emails: [{ email: "kim@example.com", type: "work" }],
    phone_numbers: [],
    im_addresses: [],
    web_pages: [],
    physical_addresses: [],
    groups: [],
  };
}

function grantObject(trigger: string): Record<string, unknown> {
  if (trigger === "grant.imap_sync_completed") {
    return { code: 25012, grant_id: GRANT, integration_id: "imap", provider: "imap", type: trigger };
  }
  if (trigger === "grant.expired") {
    const at = nowSeconds();
    return {
      code: 25009,
      grant_id: GRANT,
      integration_id: "imap",
      provider: "imap",
      email: "person@example.com",
      grant_updated_at: at,
    };
  }
  return {
    code: GRANT_CODES[trigger] ?? 25014,
    grant_id: GRANT,
    integration_id: "nylas",
    provider: "nylas",
    email: "agent@agents.localhost",
    name: "Agent",
    scope: [],
  };
}

/** A folder as GET /folders/{id} presents it; a deleted one as its event recorded it. */
function folder(deleted: boolean): Record<string, unknown> {
  const recorded = {
    id: "mock-folder-id",
    grant_id: GRANT,
    name: "Receipts",
    object: "folder",
    system_folder: false,
  };
  if (deleted) return recorded;
  return { ...recorded, attributes: [], child_count: 0, total_count: 0, unread_count: 0 };
}

/** The scheduled send that message.send_success/send_failed are about. */
function schedule(): Record<string, unknown> {
  return { schedule_id: "mock-schedule-id", send_at: nowSeconds() };
}

/** A message as GET /messages/{id} presents it (message.created/updated carry exactly that). */
function message(truncated: boolean): Record<string, unknown> {
  const now = nowSeconds();
  return {
    object: "message",
    id: "mock-message-id",
    grant_id: GRANT,
    thread_id: "mock-thread-id",
    subject: "Hello from agentbox",
    from: [{ name: "Sender", email: "sender@example.com" }],
    to: [{ name: "Agent", email: "agent@agents.localhost" }],
    cc: [],
    bcc: [],
    reply_to: [],
    date: now,
    unread: true,
    starred: false,
    answered: false,
    snippet: "This is a mock notification.",
    ...(truncated ? {} : { body: "<p>This is a mock notification.</p>" }),
    folders: ["inbox"],
    attachments: [],
    metadata: {},
    created_at: now,
    updated_at: now,
    extracted: { codes: [], links: [] },
  };
}

function deliverability(trigger: string): Record<string, unknown> {
  const now = nowSeconds();
  const base = {
    message: {
      id: "mock-message-id",
      subject: "Hello",
      from: "agent@agents.localhost",
      to: ["someone@example.com"],
      sent_at: now,
    },
  };
  if (trigger === "message.delivered") {
    return { ...base, delivered: { delivered_at: now, recipients: ["someone@example.com"] } };
  }
  if (trigger === "message.bounced") {
    return {
      ...base,
      bounce: {
        bounced_at: now,
        type: "MailboxFull",
        recipients: [
          { email: "someone@example.com", status: "5.2.2", diagnostic_code: "smtp; 552 5.2.2 mailbox full" },
        ],
      },
    };
  }
  return base;
}

/**
 * The tracking notifications (message.opened, message.link_clicked, thread.replied), in the
 * shapes of Nylas's notification reference (docs/api.md, "Tracking").
 */
const TRACKING: Record<string, () => Record<string, unknown>> = {
  "message.opened": () => ({
    object: "message",
    grant_id: GRANT,
    message_id: "mock-message-id",
    label: "Mock label",
    sender_app_id: "mock-application-id",
    timestamp: nowSeconds(),
    message_data: { count: 1, timestamp: nowSeconds() },
    recents: [{ opened_id: 0, timestamp: nowSeconds(), ip: "203.0.113.7", user_agent: "Mozilla/5.0" }],
  }),
  "message.link_clicked": () => ({
    object: "message",
    grant_id: GRANT,
    message_id: "mock-message-id",
    label: "Mock label",
    sender_app_id: "mock-application-id",
    timestamp: nowSeconds(),
    link_data: [{ url: "https://example.com/", count: 1 }],
    recents: [
      {
        click_id: "0",
        link_index: "0",
        timestamp: nowSeconds(),
        ip: "203.0.113.7",
        user_agent: "Mozilla/5.0",
      },
    ],
  }),
  "thread.replied": () => ({
    object: "thread",
    grant_id: GRANT,
    message_id: "mock-reply-message-id",
    root_message_id: "mock-message-id",
    reply_to_message_id: "mock-message-id",
    thread_id: "mock-thread-id",
    label: "Mock label",
    sender_app_id: "mock-application-id",
    timestamp: nowSeconds(),
    reply_data: { count: 1 },
    from_self: false,
  }),
};
