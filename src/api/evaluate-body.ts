import { headerFromAddress, headerRecipients, isReplyHeader } from "../mail/header-addresses.ts";
import { RULE_TRIGGERS, type RuleTrigger } from "../rule-engine/vocabulary.ts";
import { badRequest } from "./errors.ts";
import { idList, stringList } from "./policy-body.ts";
import { optionalBoolean, optionalString, rejectUnknown, requireObject } from "./validate.ts";

/**
 * POST /v3/rules/evaluate (agentbox): a message as raw MIME (`raw_mime`, the RFC 5322 text) or
 * as fields (`message: {from, to, cc, bcc, reply}`), a `trigger`, and whose rules: a grant's
 * (`grant_id`), exactly these (`rule_ids`), or else every enabled rule of the application.
 */
export interface EvaluateRequest {
  trigger: RuleTrigger;
  grantId?: string;
  ruleIds?: string[];
  /** The sender; defaults to the grant's address for outbound. */
  from?: string;
  recipients: string[];
  reply: boolean;
}

export function parseEvaluate(body: unknown): EvaluateRequest {
  const input = requireObject(body);
  rejectUnknown(input, ["trigger", "grant_id", "rule_ids", "message", "raw_mime"]);
  const trigger = input.trigger ?? "inbound";
  if (typeof trigger !== "string" || !RULE_TRIGGERS.includes(trigger as RuleTrigger)) {
    throw badRequest(`trigger must be one of: ${RULE_TRIGGERS.join(", ")}`);
  }
  const base = {
    trigger: trigger as RuleTrigger,
    ...(input.grant_id !== undefined && { grantId: optionalString(input, "grant_id", "grant_id", 256) }),
    ...(input.rule_ids !== undefined && { ruleIds: idList(input.rule_ids, "rule_ids") }),
  };
  if ((input.message === undefined) === (input.raw_mime === undefined)) {
    throw badRequest("give the message as exactly one of message (fields) or raw_mime (the RFC 5322 text)");
  }
  if (input.raw_mime !== undefined) {
    const raw = optionalString(input, "raw_mime", "raw_mime", 1024 * 1024);
    if (!raw) throw badRequest("raw_mime must be the message's RFC 5322 text");
    const bytes = Buffer.from(raw, "utf8");
    const from = headerFromAddress(bytes) ?? undefined;
    return {
      ...base,
      ...(from && { from }),
      recipients: headerRecipients(bytes),
      reply: isReplyHeader(bytes),
    };
  }
  const message = requireObject(input.message, "message");
  rejectUnknown(message, ["from", "to", "cc", "bcc", "reply"], "message.");
  const list = (key: string) =>
    message[key] === undefined ? [] : stringList(message[key], `message.${key}`, 320, 100);
  const from = optionalString(message, "from", "message.from", 320);
  return {
    ...base,
    ...(from && { from }),
    recipients: [...list("to"), ...list("cc"), ...list("bcc")],
    reply: optionalBoolean(message, "reply", "message.reply") ?? false,
  };
}
