import { UsageError } from "./args.ts";
import type { Client } from "./client.ts";

/** One CLI command, e.g. `account create`; main checks its arguments before `run`. */
export interface Command {
  /** The words that select it: "account create", "status". */
  name: string;
  /** What follows the name in the usage line: "<email> [--name N]". */
  usage: string;
  summary: string;
  /** Names of the positional arguments, all required. */
  args?: string[];
  /** Flags that take a value. */
  options?: string[];
  /** Flags without a value (`json`, `yes`). */
  switches?: string[];
  /** Resolves on success; throws to fail (UsageError exits 2, anything else 1). */
  run(call: Invocation): Promise<void>;
}

/** A group of commands, as listed together in the help. */
export interface CommandGroup {
  title: string;
  commands: Command[];
}

/** A command's arguments after validation, and the API client. */
export class Invocation {
  constructor(
    readonly args: readonly string[],
    private readonly flags: ReadonlyMap<string, string | true>,
    readonly client: Client,
  ) {}

  arg(index: number): string {
    const value = this.args[index];
    if (value === undefined) throw new UsageError(`missing argument ${index + 1}`);
    return value;
  }

  option(name: string): string | undefined {
    const value = this.flags.get(name);
    return typeof value === "string" ? value : undefined;
  }

  switch(name: string): boolean {
    return this.flags.get(name) === true;
  }

  get json(): boolean {
    return this.switch("json");
  }

  positiveInt(name: string): number | undefined {
    const value = this.option(name);
    if (value === undefined) return undefined;
    if (!/^[1-9][0-9]*$/.test(value))
      throw new UsageError(`--${name} must be a positive integer (got "${value}")`);
    return Number(value);
  }
}
