import { UsageError } from "../args.ts";
import type { Invocation } from "../command.ts";

/** Option values shared by the policy, rule, list and workspace commands. */

/** `--x a,b,c` as a list (empty entries dropped); undefined when absent. */
export function listOption(call: Invocation, name: string): string[] | undefined {
  const value = call.option(name);
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** `--x '{"a":1}'` as a JSON object; undefined when absent. */
export function jsonOption(call: Invocation, name: string): Record<string, unknown> | undefined {
  const value = call.option(name);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(`--${name} must be a JSON object (got ${value})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`--${name} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** `--x true|false`; undefined when absent. */
export function booleanOption(call: Invocation, name: string): boolean | undefined {
  const value = call.option(name);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw new UsageError(`--${name} must be true or false`);
  return value === "true";
}

/** Deleting needs --yes. */
export function confirmDelete(call: Invocation, what: string): void {
  if (!call.switch("yes"))
    throw new UsageError(`refusing to delete ${what} without confirmation: pass --yes`);
}
