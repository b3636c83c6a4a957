import { type CleanOptions, cleanConversation, DEFAULT_CLEAN_OPTIONS } from "../mail/clean/index.ts";
import type { MessageView } from "../mailbox/messages.ts";
import { presentMessage } from "./message.ts";

/** A message with Nylas's `conversation`: its body without quoted history or signature. */
export function presentCleanMessage(view: MessageView, options: CleanOptions = DEFAULT_CLEAN_OPTIONS) {
  return { ...presentMessage(view), conversation: cleanConversation(view.body, options) };
}
