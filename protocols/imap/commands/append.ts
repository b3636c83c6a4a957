import type { Flags } from "../../../src/domain/flags.ts";
import { encodeNulParts } from "../../../src/mail/nul-parts.ts";
import { type Args, BadArgs, parseDateTime } from "../args.ts";
import { type CatenatePart, catenate, parseCatenateParts } from "../catenate.ts";
import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { no, ok } from "../completion.ts";
import { parseFlags } from "../flags.ts";
import { formatSequenceSet } from "../sequence.ts";

/**
 * APPEND (RFC 3501, UIDPLUS APPENDUID, LITERAL+, BINARY literal8, MULTIAPPEND, CATENATE): every message of
 * the command is stored byte-exact through the actor in one unit, all or none; APPENDUID names
 * their UIDs in order. In Sent, de-duplicated on Message-ID (the copy SMTP submission already
 * stored): a duplicate stores nothing and APPENDUID names the message already there.
 */
export const append: ImapCommand = {
  name: "APPEND",
  states: AUTHENTICATED,
  async handle(session, args) {
    const name = args.mailbox();
    const messages: AppendMessage[] = [];
    do messages.push(readMessage(args));
    while (args.remaining > 0);
    const entry = session.mailboxTree().find(name);
    if (!entry) return no(`Mailbox ${JSON.stringify(name)} does not exist`, "TRYCREATE");
    const raws = messages.map((m) => ("raw" in m ? m.raw : catenate(session, m.catenate)));
    if (raws.some((raw) => raw.length === 0)) return no("An empty message cannot be appended", "CANNOT");
    // Each literal was announced within the limit; a policy lowered since is still honoured.
    const limit = session.appendLimit();
    const over = raws.find((raw) => raw.length > limit);
    if (over) return no(`The message (${over.length} bytes) is over APPENDLIMIT (${limit})`, "TOOBIG");
    const replies = await session.ctx.mailboxes.ask(session.grantId, "imapAppendAll", {
      messages: messages.map((m, i) => ({
        folderId: entry.folder.id,
        raw: encodeNulParts(raws[i] as Buffer),
        flags: m.flags,
        ...(m.internalDate !== undefined && { internalDate: m.internalDate }),
      })),
    });
    const code = `APPENDUID ${entry.folder.uidValidity} ${formatSequenceSet(replies.map((r) => r.uid))}`;
    const existing = replies.length === 1 && replies[0]?.existing;
    return ok(
      existing ? "APPEND completed: the message was already in this mailbox" : "APPEND completed",
      code,
    );
  },
};

/** One message of the command: its bytes, or the CATENATE parts that make them. */
type AppendMessage = { flags: Partial<Flags>; internalDate?: number } & (
  | { raw: Buffer }
  | { catenate: CatenatePart[] }
);

/** One message: [flag-list] [date-time] (literal / CATENATE (parts)). */
function readMessage(args: Args): AppendMessage {
  const flagTokens = args.takeList();
  let internalDate: number | undefined;
  const maybeDate = args.peek();
  if (maybeDate?.kind === "string" && !maybeDate.literal) {
    args.next("date-time");
    const parsed = parseDateTime(maybeDate.bytes.toString("latin1"));
    if (parsed === null) throw new BadArgs("invalid date-time");
    internalDate = parsed;
  }
  const flags = flagTokens ? parseFlags(flagTokens) : { keywords: [] };
  const at = { flags, ...(internalDate !== undefined && { internalDate }) };
  if (args.takeAtom("CATENATE")) return { ...at, catenate: parseCatenateParts(args.list("CATENATE parts")) };
  const message = args.next("message literal");
  if (message.kind !== "string" || !message.literal) throw new BadArgs("the message must be a literal");
  return { ...at, raw: message.bytes };
}
