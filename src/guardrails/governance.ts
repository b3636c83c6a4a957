import { type CompiledRuleSet, compileRuleSet } from "../rule-engine/compile.ts";
import type { RuleDefinition } from "../rule-engine/vocabulary.ts";
import type { GrantRow, ListRow, PolicyRow, WorkspaceRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { accountListsByGrant } from "./account-lists.ts";
import { type AccountRules, accountRules, noAccountRules } from "./account-rules.ts";
import { type DefaultLimits, type EffectiveLimits, effectiveLimits } from "./limits.ts";
import { allPolicies, type PolicySpamDetection, policyFields } from "./policies.ts";
import { allRules, ruleDefinition } from "./rules.ts";
import { allWorkspaces, workspaceRuleIds } from "./workspaces.ts";

/**
 * What governs an account: its policy (limits, spam detection) and the rules that run for it.
 *
 * Precedence, most specific first: the grant's own `settings.policy_id` (given on create, or
 * inherited then from the application's `nylas` connector), else its workspace's `policy_id`,
 * else none (the server's AGENTBOX_* defaults). The account's workspace is the one it was
 * placed in, else the application's default workspace. The rules in force are the workspace's
 * `rule_ids` plus the policy's (legacy) `rules`, each enabled rule once, by priority.
 */
export interface Governance {
  workspaceId: string | null;
  policyId: string | null;
  limits: EffectiveLimits;
  /** The policy's spam detection, or null (no policy: no spam scoring beyond DMARC). */
  spam: PolicySpamDetection | null;
  inbound: CompiledRuleSet;
  outbound: CompiledRuleSet;
  /** The account's own allow and block lists, checked before the rules above. */
  account: AccountRules;
}

/** An application's policies, rules and workspaces, read once and kept until one changes. */
interface Snapshot {
  policies: Map<string, PolicyRow>;
  rules: Map<string, RuleDefinition>;
  workspaces: Map<string, WorkspaceRow>;
  defaultWorkspace: WorkspaceRow | undefined;
  /** Compiled rule sets by workspace and policy. */
  compiled: Map<string, { inbound: CompiledRuleSet; outbound: CompiledRuleSet }>;
  /** Accounts' own lists, by account, and their rules once compiled. */
  accountLists: Map<string, ListRow[]>;
  accountRules: Map<string, AccountRules>;
}

export type GovernedGrant = Pick<GrantRow, "applicationId" | "workspaceId" | "settingsJson"> & {
  id?: string;
};

/**
 * The in-process view every surface asks (MX, send path, IMAP quota, retention). Every change to
 * a policy, rule or workspace goes through this process's API, which calls `invalidate` after
 * its commit; list items are not cached (the engine looks them up per evaluation).
 */
export class Guardrails {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly store: Store,
    readonly defaults: DefaultLimits,
  ) {}

  forGrant(grant: GovernedGrant): Governance {
    const s = this.snapshot(grant.applicationId);
    const workspace = (grant.workspaceId && s.workspaces.get(grant.workspaceId)) || s.defaultWorkspace;
    const policy = policyOf(s, grantPolicyId(grant.settingsJson)) ?? policyOf(s, workspace?.policyId ?? null);
    const fields = policy ? policyFields(policy) : null;
    const key = `${workspace?.id ?? ""}|${policy?.id ?? ""}`;
    let sets = s.compiled.get(key);
    if (!sets) {
      const ids = new Set([...(workspace ? workspaceRuleIds(workspace) : []), ...(fields?.ruleIds ?? [])]);
      const definitions = [...ids].flatMap((id) => s.rules.get(id) ?? []);
      sets = {
        inbound: compileRuleSet("inbound", definitions),
        outbound: compileRuleSet("outbound", definitions),
      };
      s.compiled.set(key, sets);
    }
    return {
      workspaceId: workspace?.id ?? null,
      policyId: policy?.id ?? null,
      limits: effectiveLimits(fields?.limits, this.defaults),
      spam: fields ? fields.spamDetection : null,
      ...sets,
      account: grant.id ? this.accountRulesOf(s, grant.id) : noAccountRules(),
    };
  }

  private accountRulesOf(s: Snapshot, grantId: string): AccountRules {
    const lists = s.accountLists.get(grantId);
    if (!lists) return noAccountRules();
    let rules = s.accountRules.get(grantId);
    if (!rules) {
      rules = accountRules(lists);
      s.accountRules.set(grantId, rules);
    }
    return rules;
  }

  /** Forget the application's snapshot only (an account's own list changed: no limit moves). */
  forget(applicationId: string): void {
    this.snapshots.delete(applicationId);
  }

  /**
   * The application's policies, rules or workspaces changed (committed): forget its snapshot,
   * then let the listener act (the accounts' stored limits follow their policy).
   */
  async changed(applicationId: string): Promise<void> {
    this.snapshots.delete(applicationId);
    await this.onChanged?.(applicationId);
  }

  /** Set once at start: called after every change, with the application's id. */
  onChanged?: (applicationId: string) => Promise<void>;

  private snapshot(applicationId: string): Snapshot {
    let s = this.snapshots.get(applicationId);
    if (s) return s;
    const workspaces = allWorkspaces(this.store.read, applicationId);
    s = {
      policies: new Map(allPolicies(this.store, applicationId).map((p) => [p.id, p])),
      rules: new Map(allRules(this.store, applicationId).map((r) => [r.id, ruleDefinition(r)])),
      workspaces: new Map(workspaces.map((w) => [w.id, w])),
      defaultWorkspace: workspaces.find((w) => w.isDefault),
      compiled: new Map(),
      accountLists: accountListsByGrant(this.store.read, applicationId),
      accountRules: new Map(),
    };
    this.snapshots.set(applicationId, s);
    return s;
  }
}

function policyOf(s: Snapshot, id: string | null): PolicyRow | null {
  return (id && s.policies.get(id)) || null;
}

/** The grant's own policy id (settings.policy_id), if it names one. */
export function grantPolicyId(settingsJson: string): string | null {
  if (!settingsJson.includes("policy_id")) return null;
  const id = (JSON.parse(settingsJson) as { policy_id?: unknown }).policy_id;
  return typeof id === "string" && id !== "" ? id : null;
}
