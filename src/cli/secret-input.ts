import { readFileSync } from "node:fs";
import { UsageError } from "./args.ts";

/**
 * A secret the CLI needs, never from its arguments (they show in `ps` and shell history): the
 * whole of standard input with `--password-stdin`, else typed at a terminal without echo.
 */
export async function readSecret(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const text = readFileSync(0, "utf8").replace(/\r?\n$/, "");
    if (text === "") throw new UsageError("--password-stdin: standard input was empty");
    return text;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError("no password: pipe it with --password-stdin, or run in a terminal to be asked");
  }
  return typeWithoutEcho(prompt);
}

function typeWithoutEcho(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    let typed = "";
    const done = (value: string | Error) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      process.stderr.write("\n");
      value instanceof Error ? reject(value) : resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(typed);
        if (ch === "\u0003") return done(new UsageError("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on("data", onData);
  });
}
