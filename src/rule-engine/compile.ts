import type {
  ConditionField,
  EvaluationInput,
  RuleAction,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
} from "./vocabulary.ts";
import { CONDITION_FIELDS } from "./vocabulary.ts";

/** What one look-up of the lists, made before the rules run, found for the input's values. */
export interface ListHits {
  /** For each field a list condition names: the lists that hold at least one of its values. */
  byField: ReadonlyMap<ConditionField, ReadonlySet<string>>;
  /** For each value: the lists that hold it. */
  byValue: ReadonlyMap<string, ReadonlySet<string>>;
}

export const NO_HITS: ListHits = { byField: new Map(), byValue: new Map() };

/** One evaluation's input as the compiled conditions read it: each field's values, by index. */
export interface EvaluationContext {
  values: readonly (readonly string[])[];
  hits: ListHits;
}

type Test = (c: EvaluationContext) => boolean;

export interface CompiledRule {
  id: string;
  test: Test;
  actions: RuleAction[];
}

/**
 * A trigger's enabled rules, in the order they run (ascending priority, then creation order),
 * each compiled to closures that allocate nothing; and what the in_list conditions will ask of
 * the lists.
 */
export interface CompiledRuleSet {
  trigger: RuleTrigger;
  rules: CompiledRule[];
  /** Every list an in_list condition names. */
  listIds: Set<string>;
  /** Which fields' values an in_list condition looks up. */
  listFields: Set<ConditionField>;
}

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
        if (c.operator !== "in_list" && c.operator !== "outside_lists") continue;
        for (const id of c.value as string[]) if (id) listIds.add(id);
        listFields.add(c.field);
        // An allow list holds addresses and domains: the addresses' domains are looked up too.
        if (c.operator === "outside_lists")
          listFields.add(c.field === "from.address" ? "from.domain" : "recipient.domain");
      }
      return { id: r.id, test: compileMatch(r), actions: r.actions };
    });
  return { trigger, rules, listIds, listFields };
}

/** The context of one input: every field's values computed once. */
export function evaluationContext(input: EvaluationInput, hits: ListHits): EvaluationContext {
  return { values: CONDITION_FIELDS.map((f) => fieldValues(f, input)), hits };
}

function compileMatch(rule: RuleDefinition): Test {
  const tests = rule.match.conditions.map(compileCondition);
  if (tests.length === 1) return tests[0] as Test;
  if (rule.match.operator === "any") {
    return (c) => {
      for (let i = 0; i < tests.length; i++) if ((tests[i] as Test)(c)) return true;
      return false;
    };
  }
  return (c) => {
    for (let i = 0; i < tests.length; i++) if (!(tests[i] as Test)(c)) return false;
    return true;
  };
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
 * the value (so on recipients: no recipient matches); `in_list` when a named list holds one.
 */
function compileCondition(condition: RuleCondition): Test {
  const field = condition.field;
  const f = CONDITION_FIELDS.indexOf(field);
  if (condition.operator === "outside_lists") return compileOutside(f, condition.value as string[]);
  if (condition.operator === "in_list") {
    const lists = condition.value as string[];
    return (c) => {
      const hits = c.hits.byField.get(field);
      if (!hits) return false;
      for (let i = 0; i < lists.length; i++) if (hits.has(lists[i] as string)) return true;
      return false;
    };
  }
  const wanted = condition.value as string;
  const is: Test = (c) => (c.values[f] as readonly string[]).includes(wanted);
  switch (condition.operator) {
    case "is":
      return is;
    case "is_not":
      return (c) => !is(c);
    case "contains":
      return (c) => {
        const values = c.values[f] as readonly string[];
        for (let i = 0; i < values.length; i++) if ((values[i] as string).includes(wanted)) return true;
        return false;
      };
  }
}

/** outside_lists: some address is neither in the address list nor, by its domain, in the domain list. */
function compileOutside(f: number, [addressList = "", domainList = ""]: string[]): Test {
  return (c) => {
    const values = c.values[f] as readonly string[];
    for (let i = 0; i < values.length; i++) {
      const address = values[i] as string;
      const domain = address.slice(address.lastIndexOf("@") + 1);
      const allowed =
        (addressList !== "" && c.hits.byValue.get(address)?.has(addressList)) ||
        (domainList !== "" && c.hits.byValue.get(domain)?.has(domainList));
      if (!allowed) return true;
    }
    return false;
  };
}
