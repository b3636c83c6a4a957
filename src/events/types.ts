/**
 * Every event type the log records, each one a webhook trigger. Recording any other type does not
 * compile, and the contract test (test/contract/) delivers one of each and validates it against
 * Nylas's notification schema: a new type needs a validated example there.
 */
export const EVENT_TYPES = [
  "grant.created",
  "grant.updated",
  "grant.deleted",
  "grant.expired",
  "grant.imap_sync_completed",
  "message.created",
  "message.updated",
  "message.deleted",
  "message.send_success",
  "message.send_failed",
  "message.delivered",
  "message.bounced",
  "message.held",
  "message.released",
  "message.transactional.delivered",
  "message.transactional.bounced",
  "message.opened",
  "message.link_clicked",
  "thread.replied",
  "folder.created",
  "folder.updated",
  "folder.deleted",
  // contact.updated and contact.deleted are Nylas's; contact.created is agentbox's own.
  "contact.created",
  "contact.updated",
  "contact.deleted",
  "calendar.created",
  "calendar.updated",
  "calendar.deleted",
  "event.created",
  "event.updated",
  "event.deleted",
  "event.starting",
  "event.ending",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
