import pino from "pino";

export type Logger = pino.Logger;

/** One JSON line per event. Anything that could carry a secret is censored at the source. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "agentbox" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["authorization", "*.authorization", "password", "*.password", "app_password", "*.app_password"],
      censor: "[redacted]",
    },
  });
}
