import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { MailSource, SourceMessage } from "./source.ts";

/**
 * A Maildir (its cur/ and new/), in file-name order (names start with the delivery time). Flags
 * from the ":2," info (S seen, F flagged, R replied); the arrival time from the name, else the
 * file's modification time.
 */
export function maildirSource(path: string): MailSource {
  const files = ["cur", "new"]
    .flatMap((sub) => {
      const dir = join(path, sub);
      try {
        return readdirSync(dir).map((name) => ({ name, path: join(dir, name) }));
      } catch {
        return [];
      }
    })
    .filter((f) => !f.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length === 0 && !isMaildir(path)) {
    throw new Error(`${path} is not a Maildir (no cur/ or new/ folder)`);
  }
  return {
    total: files.length,
    unit: "messages",
    fingerprint: `${files.length}:${files.at(-1)?.name ?? ""}`,
    async *messages(from) {
      for (let i = from; i < files.length; i++) {
        const file = files[i];
        if (file) yield entry(file.name, file.path, i + 1);
      }
    },
  };
}

function isMaildir(path: string): boolean {
  try {
    return statSync(join(path, "cur")).isDirectory() || statSync(join(path, "new")).isDirectory();
  } catch {
    return false;
  }
}

function entry(name: string, path: string, next: number): SourceMessage {
  const info = /:2,([A-Za-z]*)$/.exec(name)?.[1] ?? "";
  const stamp = /^(\d{9,11})\./.exec(name)?.[1];
  return {
    bytes: readFileSync(path),
    next,
    seen: info.includes("S"),
    flagged: info.includes("F"),
    answered: info.includes("R"),
    receivedAt: stamp ? Number(stamp) : Math.floor(statSync(path).mtimeMs / 1000),
  };
}
