/** A mistake in how a command was called: main prints it with the usage line and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  /** `--name value` and `--name=value` as strings; switches (`--json`) as true. */
  flags: Map<string, string | true>;
}

/** Flags that never take a value, so `--json foo` leaves `foo` a positional. */
export const SWITCHES: ReadonlySet<string> = new Set([
  "json",
  "yes",
  "help",
  "write",
  "unread",
  "html",
  "no-notify",
  "show-cancelled",
  "password-stdin",
]);

/** Positionals and flags, in any order; `--` ends the flags; `-h` is `--help`. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") flags.set("help", true);
    else if (arg.startsWith("--")) i += parseFlag(arg, argv[i + 1], flags);
    else if (arg.startsWith("-") && arg.length > 1) throw new UsageError(`unknown option ${arg}`);
    else positionals.push(arg);
  }
  return { positionals, flags };
}

/** Records one `--flag`; returns how many of the following arguments it consumed (0 or 1). */
function parseFlag(arg: string, next: string | undefined, flags: Map<string, string | true>): number {
  const eq = arg.indexOf("=");
  const name = arg.slice(2, eq === -1 ? undefined : eq);
  if (!name) throw new UsageError(`malformed option ${arg}`);
  if (SWITCHES.has(name)) {
    if (eq !== -1) throw new UsageError(`--${name} takes no value`);
    flags.set(name, true);
    return 0;
  }
  if (eq !== -1) {
    flags.set(name, arg.slice(eq + 1));
    return 0;
  }
  // A value that looks like a flag is more likely a forgotten value; `--name=--x` still works.
  if (next === undefined || next.startsWith("--")) throw new UsageError(`--${name} needs a value`);
  flags.set(name, next);
  return 1;
}
