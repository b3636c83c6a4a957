import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { clientConfig, MCP_CLIENTS, type McpClientName, mergeConfig } from "../../mcp/client-config.ts";
import { VERSION } from "../../version.ts";
import { UsageError } from "../args.ts";
import type { Command, CommandGroup } from "../command.ts";
import { printJson, printLine, printNote } from "../output.ts";

const serve: Command = {
  name: "mcp serve",
  usage: "",
  summary:
    "Run the MCP server on stdio (for MCP clients that start a command); uses AGENTBOX_URL and AGENTBOX_API_KEY",
  async run(call) {
    // Loaded only here: the MCP SDK would otherwise slow every other command's start.
    const { serveStdio } = await import("../../mcp/stdio.ts");
    await serveStdio(call.client.baseUrl, call.client.authorization(), VERSION);
  },
};

const install: Command = {
  name: "mcp install",
  usage: `[--client ${MCP_CLIENTS.join("|")}] [--write] [--json]`,
  summary:
    "Print the configuration that adds agentbox to an MCP client (--write merges it into the client's config file); it holds your API key",
  options: ["client"],
  switches: ["write", "json"],
  async run(call) {
    const client = clientName(call.option("client"));
    const launch = {
      command: "npx",
      args: ["agentbox", "mcp", "serve"],
      env: { AGENTBOX_URL: call.client.baseUrl, AGENTBOX_API_KEY: call.client.authorization().slice(7) },
    };
    const remote = {
      url: `${call.client.baseUrl}/mcp`,
      headers: { Authorization: call.client.authorization() },
    };
    if (call.json) return printJson({ stdio: launch, streamable_http: remote });
    if (!client) {
      printLine("stdio (any MCP client that starts a command):");
      printLine(JSON.stringify({ mcpServers: { agentbox: launch } }, null, 2));
      printLine();
      printLine("Streamable HTTP (clients that connect to a URL):");
      printLine(JSON.stringify({ mcpServers: { agentbox: { type: "http", ...remote } } }, null, 2));
      printNote(`\nFor one client's own format: agentbox mcp install --client ${MCP_CLIENTS.join("|")}`);
      return;
    }
    const config = clientConfig(client, launch, process.cwd());
    if (!call.switch("write")) return printLine(config.text);
    if (!config.file)
      throw new UsageError(`--write is not available for ${client}: run or paste what it prints`);
    writeClientFile(config.file.path, config.file.key, config.file.entry);
    printLine(`agentbox added to ${config.file.path}`);
  },
};

function clientName(value: string | undefined): McpClientName | undefined {
  if (value === undefined) return undefined;
  if (!(MCP_CLIENTS as readonly string[]).includes(value)) {
    throw new UsageError(`--client must be one of ${MCP_CLIENTS.join(", ")} (got "${value}")`);
  }
  return value as McpClientName;
}

function writeClientFile(path: string, key: string, entry: Record<string, unknown>): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      existing = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    } catch {
      throw new Error(`${path} is not valid JSON; fix it or add the printed configuration by hand`);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(mergeConfig(existing, key, entry), null, 2)}\n`, { mode: 0o600 });
}

export const mcpCommands: CommandGroup = {
  title: "MCP (Model Context Protocol)",
  commands: [serve, install],
};
