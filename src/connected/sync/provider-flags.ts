import { type Flags, NO_FLAGS } from "../../domain/flags.ts";

const SYSTEM: Record<string, keyof Omit<Flags, "keywords">> = {
  "\\seen": "seen",
  "\\flagged": "flagged",
  "\\answered": "answered",
  "\\draft": "draft",
  "\\deleted": "deleted",
};

/** A provider message's IMAP flags as the local model holds them (\Recent is the session's, dropped). */
export function flagsFromProvider(imapFlags: Iterable<string> | undefined): Flags {
  const flags: Flags = { ...NO_FLAGS, keywords: [] };
  for (const flag of imapFlags ?? []) {
    const system = SYSTEM[flag.toLowerCase()];
    if (system) flags[system] = true;
    else if (!flag.startsWith("\\")) flags.keywords.push(flag);
  }
  return flags;
}
