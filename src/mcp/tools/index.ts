import type { ToolDefinition } from "../tool.ts";
import { createDraft, updateDraft } from "./drafts.ts";
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

/**
 * Every tool the MCP server offers. Nylas's calendar tools (list_calendars, list_events,
 * create_event, update_event, availability) come with the calendar resource.
 */
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
  currentTime,
  epochToDatetime,
] as unknown as ToolDefinition[];
