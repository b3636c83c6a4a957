import { MailboxError } from "../../src/domain/errors.ts";
import { SYSTEM_FOLDERS } from "../../src/domain/system-folders.ts";
import type { MailboxState } from "./state.ts";

const SYSTEM_IDS = new Set<string>(SYSTEM_FOLDERS.map((f) => f.id));

export function isSystemFolder(id: string): boolean {
  return SYSTEM_IDS.has(id);
}

/** Folder names are unique per account, case-insensitively (IMAP clients treat them so). */
export function assertNameFree(state: MailboxState, name: string, exceptId?: string): void {
  for (const f of state.folders.values()) {
    if (f.id !== exceptId && f.name.toLowerCase() === name.toLowerCase()) {
      throw new MailboxError("conflict", `a folder named "${f.name}" already exists`);
    }
  }
}
