/** A message's flags, and the pure rules that change them (shared by every surface). */

export interface Flags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  deleted: boolean;
  /** Any other IMAP keyword, kept as given. */
  keywords: string[];
}

export const NO_FLAGS: Flags = {
  seen: false,
  flagged: false,
  answered: false,
  draft: false,
  deleted: false,
  keywords: [],
};

/** `set` replaces every flag; `add`/`remove` touch only the named ones. */
export type FlagChange =
  | { mode: "set"; flags: Partial<Flags> }
  | { mode: "add" | "remove"; flags: Partial<Flags> };

const SYSTEM_FLAGS = ["seen", "flagged", "answered", "draft", "deleted"] as const;

/** How a stored message holds its flags: one column each, keywords as JSON. */
export interface FlagColumns {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  deleted: boolean;
  keywordsJson: string;
}

export function flagsOf(row: FlagColumns): Flags {
  return {
    seen: row.seen,
    flagged: row.flagged,
    answered: row.answered,
    draft: row.draft,
    deleted: row.deleted,
    keywords: JSON.parse(row.keywordsJson) as string[],
  };
}

/** Flags after a change. */
export function applyFlagChange(before: Flags, change: FlagChange): Flags {
  if (change.mode === "set") {
    return {
      seen: change.flags.seen ?? false,
      flagged: change.flags.flagged ?? false,
      answered: change.flags.answered ?? false,
      draft: change.flags.draft ?? false,
      deleted: change.flags.deleted ?? false,
      keywords: dedupe(change.flags.keywords ?? []),
    };
  }
  const on = change.mode === "add";
  const after: Flags = { ...before, keywords: [...before.keywords] };
  for (const name of SYSTEM_FLAGS) if (change.flags[name]) after[name] = on;
  const given = change.flags.keywords ?? [];
  after.keywords = on
    ? dedupe([...after.keywords, ...given])
    : after.keywords.filter((k) => !given.some((g) => g.toLowerCase() === k.toLowerCase()));
  return after;
}

export function sameFlags(a: Flags, b: Flags): boolean {
  return (
    SYSTEM_FLAGS.every((f) => a[f] === b[f]) &&
    a.keywords.length === b.keywords.length &&
    a.keywords.every((k, i) => k === b.keywords[i])
  );
}

/** Keywords are case-insensitive in IMAP: keep the first spelling of each. */
function dedupe(keywords: string[]): string[] {
  const seen = new Set<string>();
  return keywords.filter((k) => {
    const key = k.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
