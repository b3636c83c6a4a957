import type {
  ConditionField,
  EvaluationInput,
  RuleAction,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
} from "./vocabulary.ts";

/** Is `value` one of the list's items? Answered from one look-up made before the rules run. */
export type ListMembership = (listId: string, value: string) => boolean;

type Test = (input: EvaluationInput, member: ListMembership) => boolean;

export interface CompiledRule {
  id: string;
  test: Test;
  actions: RuleAction[];
}

/**
 * A trigger's enabled rules, in the order they run (ascending priority, then creation order),
 * each compiled to one closure; and what the in_list conditions will ask of the lists.
 */
export interface CompiledRuleSet {
  trigger: RuleTrigger;
  rules: CompiledRule[];
  /** Every list an in_list condition names. */
  listIds: Set<string>;
  /** Which fields' values an in_list condition looks up. */
  listFields: Set<ConditionField>;
}

export const EMPTY_RULE_SET: CompiledRuleSet = {
  trigger: "inbound",
  rules: [],
  listIds: new Set(),
  listFields: new Set(),
};

export function compileRuleSet(
  trigger: RuleTrigger,
  definitions: readonly RuleDefinition[],
): CompiledRuleSet {
  const listIds = new Set<string>();
  const listFields = new Set<ConditionField>();
  const rules = definitions
    .filter((r) => r.enabled && r.trigger === trigger)
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => {
      for (const c of r.match.conditions) {
        if (c.operator !== "in_list") continue;
        for (const id of c.value as string[]) listIds.add(id);
        listFields.add(c.field);
      }
      return { id: r.id, test: compileMatch(r), actions: r.actions };
    });
  return { trigger, rules, listIds, listFields };
}

function compileMatch(rule: RuleDefinition): Test {
  const tests = rule.match.conditions.map(compileCondition);
  if (rule.match.operator === "any") return (input, member) => tests.some((t) => t(input, member));
  return (input, member) => tests.every((t) => t(input, member));
}

/** The values a field has for one input: none for an empty sender (the null sender of a bounce). */
export function fieldValues(field: ConditionField, input: EvaluationInput): readonly string[] {
  switch (field) {
    case "from.address":
      return input.fromAddress ? [input.fromAddress] : [];
    case "from.domain":
      return input.fromDomain ? [input.fromDomain] : [];
    case "from.tld":
      return input.fromTld ? [input.fromTld] : [];
    case "recipient.address":
      return input.recipientAddresses;
    case "recipient.domain":
      return input.recipientDomains;
    case "recipient.tld":
      return input.recipientTlds;
    case "outbound.type":
      return input.outboundType ? [input.outboundType] : [];
  }
}

/**
 * A condition holds when any of the field's values satisfies it; `is_not` holds when none is
 * the value (so on recipients: no recipient matches).
 */
function compileCondition(c: RuleCondition): Test {
  const { field } = c;
  if (c.operator === "in_list") {
    const lists = c.value as string[];
    return (input, member) => fieldValues(field, input).some((v) => lists.some((l) => member(l, v)));
  }
  const wanted = c.value as string;
  switch (c.operator) {
    case "is":
      return (input) => fieldValues(field, input).includes(wanted);
    case "is_not":
      return (input) => !fieldValues(field, input).includes(wanted);
    case "contains":
      return (input) => fieldValues(field, input).some((v) => v.includes(wanted));
  }
}
