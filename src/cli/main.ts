import { type ParsedArgs, parseArgs, UsageError } from "./args.ts";
import { clientFromEnv } from "./client.ts";
import { type Command, type CommandGroup, Invocation } from "./command.ts";
import { accountCommands } from "./commands/account.ts";
import { appCommands } from "./commands/app.ts";
import { backupCommands } from "./commands/backup.ts";
import { calendarCommands } from "./commands/calendar.ts";
import { domainCommands } from "./commands/domain.ts";
import { eventCommands } from "./commands/event.ts";
import { importCommands } from "./commands/import.ts";
import { keyCommands } from "./commands/key.ts";
import { listCommands } from "./commands/list.ts";
import { folderCommands, threadCommands } from "./commands/mailbox.ts";
import { mcpCommands } from "./commands/mcp.ts";
import { messageCommands } from "./commands/message.ts";
import { policyCommands } from "./commands/policy.ts";
import { ruleCommands } from "./commands/rule.ts";
import { serviceAccountCommands } from "./commands/service-account.ts";
import { statusCommands } from "./commands/status.ts";
import { webhookCommands } from "./commands/webhook.ts";
import { workspaceCommands } from "./commands/workspace.ts";

const GROUPS: CommandGroup[] = [
  accountCommands,
  domainCommands,
  keyCommands,
  appCommands,
  serviceAccountCommands,
  messageCommands,
  threadCommands,
  folderCommands,
  webhookCommands,
  calendarCommands,
  eventCommands,
  importCommands,
  mcpCommands,
  statusCommands,
  backupCommands,
  policyCommands,
  ruleCommands,
  listCommands,
  workspaceCommands,
];
const COMMANDS = GROUPS.flatMap((group) => group.commands);

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    return usageFailure(err as UsageError, "agentbox <command> [options]  (see: agentbox --help)");
  }
  const { positionals, flags } = parsed;
  const command = findCommand(positionals);
  if (positionals[0] === "help" || (!command && flags.has("help"))) {
    process.stdout.write(helpText(positionals[0] === "help" ? positionals.slice(1) : positionals));
    return 0;
  }
  if (!command) return unknownCommand(positionals);
  if (flags.has("help")) {
    process.stdout.write(`usage: ${usageLine(command)}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    const args = positionals.slice(command.name.split(" ").length);
    checkArgs(command, args, flags);
    await command.run(new Invocation(args, flags, clientFromEnv()));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(err, usageLine(command));
    process.stderr.write(`agentbox: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function findCommand(positionals: string[]): Command | undefined {
  return COMMANDS.find((command) => command.name.split(" ").every((word, i) => positionals[i] === word));
}

function checkArgs(command: Command, args: string[], flags: ReadonlyMap<string, string | true>): void {
  const expected = command.args ?? [];
  if (args.length < expected.length) throw new UsageError(`missing <${expected[args.length]}>`);
  if (args.length > expected.length) throw new UsageError(`unexpected argument "${args[expected.length]}"`);
  for (const [name, value] of flags) {
    const known = value === true ? command.switches : command.options;
    if (!known?.includes(name)) throw new UsageError(`unknown option --${name} for "${command.name}"`);
  }
}

/** No command matched: a known group lists its commands, anything else points at the help. */
function unknownCommand(positionals: string[]): number {
  const group = GROUPS.find((g) => g.commands.some((c) => c.name.split(" ")[0] === positionals[0]));
  if (positionals.length === 0 || !group) {
    const what = positionals.length === 0 ? "no command given" : `unknown command "${positionals[0]}"`;
    process.stderr.write(`agentbox: ${what}\n\n${helpText([])}`);
    return 2;
  }
  const what =
    positionals[1] === undefined
      ? `"${positionals[0]}" needs a command`
      : `unknown command "${positionals.join(" ")}"`;
  process.stderr.write(`agentbox: ${what}\n\n${groupText(group)}`);
  return 2;
}

function usageFailure(err: UsageError, usage: string): number {
  process.stderr.write(`agentbox: ${err.message}\nusage: ${usage}\n`);
  return 2;
}

function usageLine(command: Command): string {
  return `agentbox ${command.name} ${command.usage}`.trimEnd();
}

/** `agentbox help [group]`, `agentbox [group] --help`: every command (or a group's), and the environment. */
function helpText(topic: string[]): string {
  const group = GROUPS.find((g) => g.commands.some((c) => c.name.split(" ")[0] === topic[0]));
  if (group) return groupText(group);
  return [
    "agentbox: manage an agentbox mail server through its HTTP API",
    "",
    "usage: agentbox <command> [options]",
    "",
    `${GROUPS.map(groupText).join("")}Options:`,
    "  --json             print the API's data as JSON instead of a table",
    "  --help, -h         after a command or group: its usage",
    "",
    "Environment:",
    "  AGENTBOX_URL       the server (default http://127.0.0.1:3000)",
    "  AGENTBOX_API_KEY   the API key (default: the contents of $AGENTBOX_DATA_DIR/api-key)",
    "  AGENTBOX_DATA_DIR  the server's data directory (default ./data)",
    "",
  ].join("\n");
}

function groupText(group: CommandGroup): string {
  const lines = group.commands.map((c) => `  ${`${c.name} ${c.usage}`.trimEnd()}\n      ${c.summary}\n`);
  return `${group.title}:\n${lines.join("")}\n`;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
