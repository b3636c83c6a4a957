import { storageUsage } from "../../../src/accounts/grants.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import type { CommandSession } from "../command-session.ts";
import { no, ok } from "../completion.ts";
import { mailboxOut } from "../encode.ts";

/** QUOTA (RFC 9208): one root, "", holding the account's storage quota, in units of 1024 octets. */
function quotaLine(session: CommandSession): string {
  const usage = storageUsage(session.ctx.store, session.grantId);
  const used = Math.ceil((usage?.usedBytes ?? 0) / 1024);
  const limit = Math.floor((usage?.quotaBytes ?? 0) / 1024);
  return `* QUOTA "" (STORAGE ${used} ${limit})`;
}

export const getquotaroot: ImapCommand = {
  name: "GETQUOTAROOT",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = args.mailbox();
    args.end();
    const entry = session.findMailbox(name);
    session.send(`* QUOTAROOT ${mailboxOut(entry.path)} ""`);
    session.send(quotaLine(session));
    return ok("GETQUOTAROOT completed");
  },
};

export const getquota: ImapCommand = {
  name: "GETQUOTA",
  states: AUTHENTICATED,
  async handle(session, args) {
    const root = args.astring("quota root");
    args.end();
    if (root !== "") return no(`No such quota root ${JSON.stringify(root.slice(0, 40))}`, "NONEXISTENT");
    session.send(quotaLine(session));
    return ok("GETQUOTA completed");
  },
};

export const setquota: ImapCommand = {
  name: "SETQUOTA",
  states: AUTHENTICATED,
  async handle() {
    return no("The storage quota is set by the account's administrator, not over IMAP", "NOPERM");
  },
};
