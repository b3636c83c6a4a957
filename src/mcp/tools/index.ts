import type { ToolDefinition } from "../tool.ts";
import { availability, listCalendars } from "./calendars.ts";
import { createDraft, updateDraft } from "./drafts.ts";
import { createEvent, deleteEvent, getEvent, listEvents, sendRsvp, updateEvent } from "./events.ts";
import { getFolderById, getGrant, listFolders, listGrants, listThreads } from "./mailbox.ts";
import {
  getMessage,
  listMessages,
  markMessage,
  moveMessage,
  searchMessages,
  waitForMessage,
} from "./messages.ts";
import { confirmSendDraft, confirmSendMessage, replyToMessage, sendDraft, sendMessage } from "./sending.ts";
import { currentTime, epochToDatetime } from "./time.ts";

/** Every tool the MCP server offers. */
export const TOOLS = [
  listMessages,
  searchMessages,
  getMessage,
  waitForMessage,
  moveMessage,
  markMessage,
  listThreads,
  getFolderById,
  listFolders,
  getGrant,
  listGrants,
  createDraft,
  updateDraft,
  confirmSendDraft,
  sendDraft,
  confirmSendMessage,
  sendMessage,
  replyToMessage,
  listCalendars,
  listEvents,
  getEvent,
  createEvent,
  updateEvent,
  deleteEvent,
  sendRsvp,
  availability,
  currentTime,
  epochToDatetime,
] as unknown as ToolDefinition[];
