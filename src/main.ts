import { loadConfig } from "./config/config.ts";
import { ConfigError } from "./config/error.ts";
import { createLogger } from "./log.ts";
import { ListenError, startServer } from "./server.ts";

/** `bun src/main.ts serve`: what `npm start` runs. */
async function serve(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const log = createLogger(config.logLevel, config.logFormat ?? undefined);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, log);
  } catch (err) {
    if (err instanceof ListenError) fail(err.message);
    throw err;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function fail(message: string): never {
  process.stderr.write(`agentbox: ${message}\n`);
  process.exit(1);
}

const command = process.argv[2] ?? "serve";
if (command === "serve") {
  await serve();
} else {
  fail(`unknown command "${command}"; usage: bun src/main.ts serve (the CLI is: npx agentbox --help)`);
}
