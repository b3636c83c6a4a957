/**
 * The rule engine's vocabulary, as the Nylas wire names it (reference §7.4–7.5): what a rule
 * matches and does, what an evaluation looks at, and what it applied. Pure types, below every
 * user: the API validates into them, the store keeps them, the surfaces and the mailbox actor
 * act on them.
 */

export const RULE_TRIGGERS = ["inbound", "outbound"] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

export const CONDITION_FIELDS = [
  "from.address",
  "from.domain",
  "from.tld",
  "recipient.address",
  "recipient.domain",
  "recipient.tld",
  "outbound.type",
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const CONDITION_OPERATORS = ["is", "is_not", "contains", "in_list"] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * Not on the wire: what an account's allow list asks (src/guardrails/account-lists.ts). On
 * `from.address` or `recipient.address`, with `[addressListId, domainListId]` (either ""): true
 * when some address is in neither, by itself nor by its domain.
 */
export type InternalOperator = "outside_lists";

export interface RuleCondition {
  field: ConditionField;
  operator: ConditionOperator | InternalOperator;
  /** A string for is/is_not/contains (lower-cased); list ids for in_list and outside_lists. */
  value: string | string[];
}

export interface RuleMatch {
  operator: "any" | "all";
  conditions: RuleCondition[];
}

/**
 * Nylas's seven actions, plus `hold_for_review` (outbound only, beyond Nylas): the message is
 * parked in the account's Review folder instead of being delivered.
 */
export const ACTION_TYPES = [
  "block",
  "mark_as_spam",
  "assign_to_folder",
  "mark_as_read",
  "mark_as_starred",
  "archive",
  "trash",
  "hold_for_review",
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface RuleAction {
  type: ActionType;
  value?: string;
}

/** A rule as the engine needs it. */
export interface RuleDefinition {
  id: string;
  priority: number;
  enabled: boolean;
  trigger: RuleTrigger;
  match: RuleMatch;
  actions: RuleAction[];
}

export type EvaluationStage = "smtp_rcpt" | "inbox_processing" | "outbound_send";
export type OutboundType = "compose" | "reply";

/** The normalised sender, recipients and send type a rule set is matched against. */
export interface EvaluationInput {
  fromAddress: string;
  fromDomain: string;
  fromTld: string;
  recipientAddresses: string[];
  recipientDomains: string[];
  recipientTlds: string[];
  outboundType?: OutboundType;
}

/**
 * What an evaluation applied, in the wire's names: only what was applied is present (never
 * `false`). `held_for_review` is agentbox's own.
 */
export interface AppliedActions {
  blocked?: true;
  blocked_by_evaluation_error?: true;
  marked_as_spam?: true;
  marked_as_read?: true;
  marked_starred?: true;
  archived?: true;
  trashed?: true;
  held_for_review?: true;
  folder_ids?: string[];
}
