import { MailboxError } from "../../src/domain/errors.ts";
import { SYSTEM_FOLDERS } from "../../src/domain/system-folders.ts";
import type { MailboxState } from "./state.ts";

const SYSTEM_IDS = new Set<string>(SYSTEM_FOLDERS.map((f) => f.id));

export function isSystemFolder(id: string): boolean {
  return SYSTEM_IDS.has(id);
}

/**
 * Folder names are unique among siblings (one parent, or the top level), case-insensitively
 * (IMAP clients treat them so); the same name may stand under different parents.
 */
export function assertNameFree(
  state: MailboxState,
  name: string,
  parentId: string | null,
  exceptId?: string,
): void {
  for (const f of state.folders.values()) {
    if (f.id !== exceptId && f.parentId === parentId && f.name.toLowerCase() === name.toLowerCase()) {
      throw new MailboxError("conflict", `a folder named "${f.name}" already exists there`);
    }
  }
}
