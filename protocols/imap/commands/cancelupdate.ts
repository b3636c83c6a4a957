/**
 * RFC 5267 contexts: what a SEARCH or SORT with RETURN (UPDATE) starts (`keepUpdated`), and
 * CANCELUPDATE, which stops it. The updates themselves are told by the session after each
 * command and during IDLE (search-contexts.ts).
 */
import { BadArgs } from "../args.ts";
import { type CommandCall, type ImapCommand, SELECTED } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { ok } from "../completion.ts";
import { quote } from "../encode.ts";

/**
 * Keeps the result of the command `call` up to date; `run` evaluates it again (UIDs in result
 * order), `uids` is the result being returned. Past the per-session limit the result is returned
 * without updates, as Dovecot does: `* NO [NOUPDATE "tag"]`.
 */
export function keepUpdated(
  session: CommandSession,
  call: CommandCall,
  run: () => number[],
  uids: number[],
  sorted = false,
): void {
  const selected = session.requireSelected();
  const contexts = session.searchContexts;
  if (contexts.has(selected, call.tag))
    throw new BadArgs(`a live search already has the tag ${call.tag.slice(0, 40)}`);
  if (contexts.full(selected)) {
    session.send(`* NO [NOUPDATE ${quote(call.tag)}] Too many live searches; this one is not updated`);
    return;
  }
  contexts.add(selected, { tag: call.tag, uid: call.uid, sorted, run }, uids);
}

/** CANCELUPDATE tag *(SP tag): each must name a live search of this session. */
export const cancelupdate: ImapCommand = {
  name: "CANCELUPDATE",
  states: SELECTED,
  async handle(session, args) {
    const selected = session.requireSelected();
    const tags: string[] = [];
    while (args.remaining > 0) tags.push(args.astring("tag"));
    if (tags.length === 0) throw new BadArgs("CANCELUPDATE needs the tag of a live search");
    const unknown = tags.find((tag) => !session.searchContexts.has(selected, tag));
    if (unknown !== undefined) throw new BadArgs(`no live search has the tag ${unknown.slice(0, 40)}`);
    for (const tag of tags) session.searchContexts.cancel(selected, tag);
    return ok("CANCELUPDATE completed");
  },
};
