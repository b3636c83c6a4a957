import type { CommandDefinition } from "./command.ts";
import { append } from "./commands/append.ts";
import { applyProviderChanges } from "./commands/apply-provider-changes.ts";
import { createCalendar } from "./commands/create-calendar.ts";
import { createEvent } from "./commands/create-event.ts";
import { createFolder } from "./commands/create-folder.ts";
import { deleteCalendar } from "./commands/delete-calendar.ts";
import { deleteCalendarObject } from "./commands/delete-calendar-object.ts";
import { deleteEvent } from "./commands/delete-event.ts";
import { deleteFolder } from "./commands/delete-folder.ts";
import { deleteMessage } from "./commands/delete-message.ts";
import { expireMessages } from "./commands/expire-messages.ts";
import { holdMessage } from "./commands/hold-message.ts";
import { imapAppend, imapAppendAll } from "./commands/imap-append.ts";
import { copyMessages } from "./commands/imap-copy.ts";
import { expunge } from "./commands/imap-expunge.ts";
import { moveMessages } from "./commands/imap-move.ts";
import { storeFlags } from "./commands/imap-store.ts";
import { putCalendarObject } from "./commands/put-calendar-object.ts";
import { reloadLimits } from "./commands/reload-limits.ts";
import { replaceDraft } from "./commands/replace-draft.ts";
import { send } from "./commands/send.ts";
import { setSubscribed } from "./commands/set-subscribed.ts";
import { syncMessage } from "./commands/sync-message.ts";
import { updateCalendar } from "./commands/update-calendar.ts";
import { updateEvent } from "./commands/update-event.ts";
import { updateFolder } from "./commands/update-folder.ts";
import { updateMessage } from "./commands/update-message.ts";
import { resetUrlKeys, urlKey } from "./commands/url-keys.ts";

/** Every command the mailbox actor takes, by the name callers ask for it (Mailboxes.ask). */
const DEFINITIONS = {
  append,
  send,
  replaceDraft,
  createFolder,
  updateMessage,
  deleteMessage,
  updateFolder,
  deleteFolder,
  storeFlags,
  copyMessages,
  moveMessages,
  expunge,
  imapAppend,
  imapAppendAll,
  setSubscribed,
  createCalendar,
  updateCalendar,
  deleteCalendar,
  createEvent,
  updateEvent,
  deleteEvent,
  putCalendarObject,
  deleteCalendarObject,
  reloadLimits,
  expireMessages,
  holdMessage,
  urlKey,
  resetUrlKeys,
  syncMessage,
  applyProviderChanges,
};

type Definitions = typeof DEFINITIONS;
export type CommandKind = keyof Definitions;
/** What a caller gives for a command. */
export type CommandInput<K extends CommandKind> =
  Definitions[K] extends CommandDefinition<infer I, unknown> ? I : never;
/** What the command answers, once committed. */
export type CommandReply<K extends CommandKind> =
  Definitions[K] extends CommandDefinition<never, infer R> ? R : never;

/** The same map, typed so that a look-up by a generic kind keeps that kind's input and reply. */
export const COMMANDS: { [K in CommandKind]: CommandDefinition<CommandInput<K>, CommandReply<K>> } =
  DEFINITIONS;
