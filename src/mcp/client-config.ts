import { homedir } from "node:os";
import { join } from "node:path";

/** The MCP clients `agentbox mcp install` knows, and how each is told about a stdio server. */
export const MCP_CLIENTS = [
  "claude-code",
  "claude-desktop",
  "cursor",
  "vscode",
  "windsurf",
  "codex",
] as const;
export type McpClientName = (typeof MCP_CLIENTS)[number];

export interface ServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** How a client is configured: a JSON file to merge into, or only a snippet (or command) to run. */
export interface ClientConfig {
  /** What to print. */
  text: string;
  /** The JSON file `--write` merges `entry` into, under `key`; absent when the client has none. */
  file?: { path: string; key: string; entry: Record<string, unknown> };
}

export function clientConfig(client: McpClientName, launch: ServerLaunch, cwd: string): ClientConfig {
  const stdio = { command: launch.command, args: launch.args, env: launch.env };
  switch (client) {
    case "claude-code": {
      const env = Object.entries(launch.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
      return {
        text: shellLine(["claude", "mcp", "add", "agentbox", ...env, "--", launch.command, ...launch.args]),
      };
    }
    case "codex": {
      const env = Object.entries(launch.env).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
      const text = [
        "# ~/.codex/config.toml",
        "[mcp_servers.agentbox]",
        `command = ${JSON.stringify(launch.command)}`,
        `args = ${JSON.stringify(launch.args)}`,
        "",
        "[mcp_servers.agentbox.env]",
        ...env,
      ].join("\n");
      return { text };
    }
    case "vscode":
      return jsonConfig(join(cwd, ".vscode", "mcp.json"), "servers", { type: "stdio", ...stdio });
    case "cursor":
      return jsonConfig(join(homedir(), ".cursor", "mcp.json"), "mcpServers", stdio);
    case "windsurf":
      return jsonConfig(join(homedir(), ".codeium", "windsurf", "mcp_config.json"), "mcpServers", stdio);
    case "claude-desktop":
      return jsonConfig(claudeDesktopFile(), "mcpServers", stdio);
  }
}

function jsonConfig(path: string, key: string, entry: Record<string, unknown>): ClientConfig {
  const text = `// ${path}\n${JSON.stringify({ [key]: { agentbox: entry } }, null, 2)}`;
  return { text, file: { path, key, entry } };
}

function claudeDesktopFile(): string {
  if (process.platform === "darwin") {
    return join(homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");
  }
  if (process.platform === "win32") {
    return join(
      process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"),
      "Claude",
      "claude_desktop_config.json",
    );
  }
  return join(homedir(), ".config", "Claude", "claude_desktop_config.json");
}

/** Words quoted for a POSIX shell where they need it. */
function shellLine(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`)).join(" ");
}

/** `existing` (a client's config file, parsed) with agentbox's entry set under `key`. */
export function mergeConfig(
  existing: Record<string, unknown>,
  key: string,
  entry: Record<string, unknown>,
): Record<string, unknown> {
  const servers = existing[key];
  const table = servers !== null && typeof servers === "object" ? (servers as Record<string, unknown>) : {};
  return { ...existing, [key]: { ...table, agentbox: entry } };
}
