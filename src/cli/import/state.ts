import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where an import stands: enough to resume it after an interruption. */
export interface ImportState {
  fingerprint: string;
  /** The source position after the last message the server has (see SourceMessage.next). */
  position: number;
  imported: number;
  duplicates: number;
  failed: number;
}

/**
 * The state file of one import (a source, an account, a folder), in
 * `$AGENTBOX_IMPORT_STATE_DIR` or `~/.agentbox/imports/`. Written as the import advances, removed
 * when it completes.
 */
export class ImportStateFile {
  readonly path: string;

  constructor(
    source: string,
    account: string,
    folder: string,
    env: Record<string, string | undefined> = process.env,
  ) {
    const dir = env.AGENTBOX_IMPORT_STATE_DIR?.trim() || join(homedir(), ".agentbox", "imports");
    const key = createHash("sha256")
      .update(`${resolve(source)}\n${account.toLowerCase()}\n${folder}`)
      .digest("hex");
    this.path = join(dir, `${key.slice(0, 32)}.json`);
  }

  /** The saved state when it belongs to this very source (same fingerprint), else a fresh one. */
  load(fingerprint: string): { state: ImportState; resumed: boolean } {
    try {
      const saved = JSON.parse(readFileSync(this.path, "utf8")) as ImportState;
      if (saved.fingerprint === fingerprint) return { state: saved, resumed: true };
    } catch {
      // none, or unreadable: start over (the server de-duplicates what it already has)
    }
    return { state: { fingerprint, position: 0, imported: 0, duplicates: 0, failed: 0 }, resumed: false };
  }

  save(state: ImportState): void {
    mkdirSync(join(this.path, ".."), { recursive: true });
    writeFileSync(this.path, JSON.stringify(state));
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
