import { type CompiledRuleSet, compileRuleSet } from "../rule-engine/compile.ts";
import type {
  ConditionField,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
} from "../rule-engine/vocabulary.ts";
import type { ListRow } from "../store/schema.ts";
import { type AccountListType, accountListName, type Direction } from "./account-lists.ts";

/** An account's allow and block lists as rule sets, one per direction (empty when it has none). */
export interface AccountRules {
  receive: CompiledRuleSet;
  reply: CompiledRuleSet;
  send: CompiledRuleSet;
}

const NONE = { receive: empty("inbound"), reply: empty("inbound"), send: empty("outbound") };

function empty(trigger: RuleTrigger): CompiledRuleSet {
  return compileRuleSet(trigger, []);
}

export function noAccountRules(): AccountRules {
  return NONE;
}

/**
 * Each direction: a block rule (the sender, or any recipient, on the block lists) and, when the
 * allow lists hold anything, an allow rule (an address on neither allow list, by itself nor by
 * its domain, is blocked). Block first: an entry on both lists is blocked. Their ids name them
 * (`account:receive:block`) in the evaluation records.
 */
export function accountRules(lists: readonly ListRow[]): AccountRules {
  return {
    receive: compileRuleSet("inbound", definitions(lists, "receive", "inbound")),
    reply: compileRuleSet("inbound", definitions(lists, "reply", "inbound")),
    send: compileRuleSet("outbound", definitions(lists, "send", "outbound")),
  };
}

function definitions(
  lists: readonly ListRow[],
  direction: Direction,
  trigger: RuleTrigger,
): RuleDefinition[] {
  const side = direction === "send" ? "recipient" : "from";
  const id = (listType: AccountListType, kind: "address" | "domain") =>
    lists.find((l) => l.name === accountListName(direction, listType, kind) && l.itemsCount > 0)?.id ?? "";
  const rule = (
    listType: AccountListType,
    priority: number,
    conditions: RuleCondition[],
    operator: "any" | "all",
  ) => ({
    id: `account:${direction}:${listType}`,
    priority,
    enabled: true,
    trigger,
    match: { operator, conditions },
    actions: [{ type: "block" as const }],
  });
  const rules: RuleDefinition[] = [];
  const [blockAddress, blockDomain] = [id("block", "address"), id("block", "domain")];
  const blockOn: RuleCondition[] = [
    ...(blockAddress ? [inList(`${side}.address`, blockAddress)] : []),
    ...(blockDomain ? [inList(`${side}.domain`, blockDomain)] : []),
  ];
  if (blockOn.length > 0) rules.push(rule("block", 0, blockOn, "any"));
  const [allowAddress, allowDomain] = [id("allow", "address"), id("allow", "domain")];
  if (allowAddress || allowDomain) {
    rules.push(
      rule(
        "allow",
        1,
        [
          {
            field: `${side}.address` as ConditionField,
            operator: "outside_lists",
            value: [allowAddress, allowDomain],
          },
        ],
        "all",
      ),
    );
  }
  return rules;
}

function inList(field: string, listId: string): RuleCondition {
  return { field: field as ConditionField, operator: "in_list", value: [listId] };
}
