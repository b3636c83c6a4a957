import { ANY, AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

/** NOOP: nothing, but pending changes go out (the dispatcher flushes them after every command). */
export const noop: ImapCommand = {
  name: "NOOP",
  states: ANY,
  async handle(_session, args) {
    args.end();
    return ok("NOOP completed");
  },
};

/** CHECK: every change is already durable; same as NOOP. */
export const check: ImapCommand = {
  name: "CHECK",
  states: AUTHENTICATED,
  async handle(_session, args) {
    args.end();
    return ok("CHECK completed");
  },
};
