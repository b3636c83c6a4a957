/**
 * THREAD / UID THREAD (RFC 5256): ORDEREDSUBJECT and REFERENCES over the messages the search
 * criteria select, from what the message rows hold (base subject, dates, Message-ID links).
 */
import { BadArgs } from "../args.ts";
import { type ImapCommand, SELECTED } from "../command.ts";
import { ok } from "../completion.ts";
import type { Sortable } from "../sort-program.ts";
import { orderedSubjectThreads } from "../threads/ordered-subject.ts";
import { referencesThreads } from "../threads/references.ts";
import { type ThreadNode, threadResponse } from "../threads/thread-tree.ts";
import { searchCriteria, selection } from "./sort.ts";

const ALGORITHMS: Record<string, (messages: readonly Sortable[]) => ThreadNode[]> = {
  ORDEREDSUBJECT: orderedSubjectThreads,
  REFERENCES: referencesThreads,
};

export const thread: ImapCommand = {
  name: "THREAD",
  states: SELECTED,
  uid: true,
  async handle(session, args, call) {
    const selected = session.requireSelected();
    const name = args.atom("threading algorithm").toUpperCase();
    const algorithm = ALGORITHMS[name];
    if (!algorithm) throw new BadArgs(`unknown threading algorithm ${name.slice(0, 20)}`);
    const key = searchCriteria(args);
    const roots = algorithm(selection(session, selected, key).items);
    session.send(threadResponse(roots, (m) => (call.uid ? m.row.uid : m.seq)));
    return ok(`${call.uid ? "UID THREAD" : "THREAD"} completed`);
  },
};
