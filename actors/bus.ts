import type { MailboxChange } from "../src/domain/changes.ts";
import { KeyedFanOut } from "../src/keyed-fan-out.ts";

/**
 * In-process fan-out of committed changes, per grant. The mailbox actor publishes after commit;
 * IMAP sessions, long-polls and streams subscribe.
 */
export class ChangeBus extends KeyedFanOut<MailboxChange> {}
