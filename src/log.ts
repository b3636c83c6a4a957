import pino from "pino";
import pretty from "pino-pretty";

export type Logger = pino.Logger;

/** Where log lines go: JSON (for collectors) or pino-pretty's coloured lines (for a person). */
export type LogFormat = "json" | "pretty";

/**
 * One line per event: pretty and coloured when stdout is a terminal, one JSON object otherwise.
 * Anything that could carry a secret is censored at the source, in both formats.
 */
export function createLogger(level: string, format: LogFormat = defaultLogFormat()): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "agentbox" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["authorization", "*.authorization", "password", "*.password", "app_password", "*.app_password"],
      censor: "[redacted]",
    },
  };
  if (format === "json") return pino(options);
  // A synchronous stream in this thread: no transport worker to lose lines at exit.
  return pino(
    options,
    pretty({ colorize: true, sync: true, ignore: "pid,hostname,service", translateTime: "SYS:HH:MM:ss.l" }),
  );
}

export function defaultLogFormat(): LogFormat {
  return process.stdout.isTTY ? "pretty" : "json";
}
