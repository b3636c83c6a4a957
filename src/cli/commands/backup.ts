import { loadConfig } from "../../config/config.ts";
import { backupDatabase, restoreDatabase } from "../../store/backup.ts";
import type { Command, CommandGroup } from "../command.ts";
import { printFields } from "../output.ts";

/**
 * Backup and restore act on the data directory of this machine (AGENTBOX_DATA_DIR or
 * AGENTBOX_DATABASE_URL, as the server reads them), not through the API.
 */
function databasePath(): string {
  return loadConfig().databaseUrl.slice("file:".length);
}

const backup: Command = {
  name: "backup",
  usage: "<file>",
  summary: "Snapshot the database into a new file, while the server runs and takes mail",
  args: ["file"],
  async run(call) {
    const path = databasePath();
    const result = backupDatabase(path, call.arg(0));
    printFields([
      ["Database", path],
      ["Backup", call.arg(0)],
      ["Size", `${result.bytes} bytes`],
      ["Took", `${result.ms} ms`],
    ]);
  },
};

const restore: Command = {
  name: "restore",
  usage: "<file>",
  summary: "Replace the database with a backup (the server must be stopped)",
  args: ["file"],
  async run(call) {
    const path = databasePath();
    const result = restoreDatabase(call.arg(0), path);
    printFields([
      ["Database", path],
      ["Restored from", call.arg(0)],
      ["Previous database kept as", result.previous ?? "-"],
      ["Size", `${result.bytes} bytes`],
    ]);
  },
};

export const backupCommands: CommandGroup = {
  title: "Backup (on the server's machine)",
  commands: [backup, restore],
};
