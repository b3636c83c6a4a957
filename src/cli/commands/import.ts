import { statSync } from "node:fs";
import { UsageError } from "../args.ts";
import type { Command, CommandGroup, Invocation } from "../command.ts";
import { maildirSource } from "../import/maildir.ts";
import { mboxSource } from "../import/mbox.ts";
import { importMailbox } from "../import/run.ts";
import type { MailSource } from "../import/source.ts";
import { ImportStateFile } from "../import/state.ts";
import { printJson, printLine, printNote } from "../output.ts";

function importCommand(kind: "mbox" | "maildir", open: (path: string) => MailSource): Command {
  return {
    name: `import ${kind}`,
    usage: `<${kind === "mbox" ? "file" : "directory"}> --account EMAIL [--folder F] [--json]`,
    summary: `Import an existing ${kind === "mbox" ? "mbox file" : "Maildir"} into an account (resumable; messages already there by Message-ID are skipped)`,
    args: [kind === "mbox" ? "file" : "directory"],
    options: ["account", "folder"],
    switches: ["json"],
    async run(call) {
      await runImport(call, open);
    },
  };
}

async function runImport(call: Invocation, open: (path: string) => MailSource): Promise<void> {
  const account = call.option("account");
  if (!account) throw new UsageError("--account EMAIL is required: the account to import into");
  const folder = call.option("folder") ?? "inbox";
  const path = call.arg(0);
  try {
    statSync(path);
  } catch {
    throw new UsageError(`${path} does not exist`);
  }
  const source = open(path);
  const stateFile = new ImportStateFile(path, account, folder);
  const result = await importMailbox(call.client, account, folder, source, stateFile);
  if (call.json) {
    const { fingerprint: _, position: __, ...figures } = result;
    return printJson(figures);
  }
  if (result.resumed) printNote("(resumed an interrupted import)");
  for (const error of result.errors) printNote(`skipped: ${error}`);
  printLine(
    `Imported ${result.imported} messages into ${account} (${folder}); ${result.duplicates} were already there, ${result.failed} refused.`,
  );
}

export const importCommands: CommandGroup = {
  title: "Import",
  commands: [importCommand("mbox", mboxSource), importCommand("maildir", maildirSource)],
};
