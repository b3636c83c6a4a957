import { BadArgs, parseDateTime } from "../args.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";
import { parseFlags } from "../flags.ts";

/**
 * APPEND (RFC 3501, UIDPLUS APPENDUID, LITERAL+): stored byte-exact through the actor; in Sent,
 * de-duplicated on Message-ID (the copy SMTP submission already stored): a duplicate stores nothing
 * and APPENDUID names the message already there.
 */
export const append: ImapCommand = {
  name: "APPEND",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = args.mailbox();
    const flagTokens = args.takeList();
    let internalDate: number | undefined;
    const maybeDate = args.peek();
    if (maybeDate?.kind === "string" && !maybeDate.literal) {
      args.next("date-time");
      const parsed = parseDateTime(maybeDate.bytes.toString("latin1"));
      if (parsed === null) throw new BadArgs("invalid date-time");
      internalDate = parsed;
    }
    const message = args.next("message literal");
    if (message.kind !== "string" || !message.literal) throw new BadArgs("the message must be a literal");
    args.end();
    const flags = flagTokens ? parseFlags(flagTokens) : { keywords: [] };
    const entry = session.mailboxTree().find(name);
    if (!entry) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "TRYCREATE");
    if (message.bytes.length === 0) return no("An empty message cannot be appended", "CANNOT");
    // The literal was announced within the limit; a policy lowered since is still honoured.
    const limit = session.appendLimit();
    if (message.bytes.length > limit) {
      return no(`The message (${message.bytes.length} bytes) is over APPENDLIMIT (${limit})`, "TOOBIG");
    }
    const reply = await session.ctx.mailboxes.ask(session.grantId, "imapAppend", {
      folderId: entry.folder.id,
      raw: message.bytes,
      flags,
      ...(internalDate !== undefined && { internalDate }),
    });
    const uidValidity = entry.folder.uidValidity;
    return ok(
      reply.existing ? "APPEND completed: the message was already in this mailbox" : "APPEND completed",
      `APPENDUID ${uidValidity} ${reply.uid}`,
    );
  },
};
