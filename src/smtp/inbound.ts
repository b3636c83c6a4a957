/**
 * What the MX does with a message once DATA is complete: verify it (SPF, DKIM, DMARC, ARC),
 * prepend the trace fields, ask `decideMessage` for every recipient, and store one copy per
 * account through its mailbox actor. The caller answers 250 only when this resolves "stored":
 * every accepted recipient's copy is committed.
 */
import type { DNSResolver } from "mailauth";
import type { Mailboxes } from "../../actors/mailboxes.ts";
import { findGrantByEmail } from "../accounts/grants.ts";
import { MailboxError } from "../domain/errors.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../log.ts";
import { findField } from "../mail/header-block.ts";
import { headerFields, lineEnding } from "../mail/header-edit.ts";
import { type ParsedMessage, parseMessage } from "../mail/parse-message.ts";
import type { PreparedMessage } from "../mail/prepared-message.ts";
import { MessageSpamSignals, type SpamDeps } from "../spam/message-signals.ts";
import type { GrantRow } from "../store/schema.ts";
import type { Store } from "../store/store.ts";
import { buildDsn } from "./dsn.ts";
import {
  decideMessage,
  type InboundEnvelope,
  type InboundMessage,
  type PolicyContext,
  type Refusal,
} from "./policy.ts";
import { enqueueNotice } from "./queue.ts";
import { receivedLines } from "./trace.ts";
import { type AuthVerdict, verifyMessage } from "./verify.ts";

export interface InboundDeps {
  store: Store;
  mailboxes: Mailboxes;
  log: Logger;
  /** Our host name: Received, Authentication-Results, Reporting-MTA. */
  hostname: string;
  /** mailauth's resolver (AGENTBOX_DNS_SERVER, cached). */
  authResolver: DNSResolver;
  policy: PolicyContext;
  /** DNS block lists and rspamd, for accounts whose policy detects spam. */
  spam: SpamDeps;
  /** Called after a notice was queued for the outbound delivery. */
  onQueued?: () => void;
}

export interface InboundTransaction {
  envelope: InboundEnvelope;
  sessionId: string;
  /** Recipients accepted at RCPT, one per account. */
  recipients: { address: string; grant: GrantRow }[];
  raw: Uint8Array;
}

export type InboundOutcome =
  | { kind: "stored"; copies: number; text: string; authentication: AuthVerdict }
  | { kind: "refused"; refusal: Refusal };

export async function receiveInbound(deps: InboundDeps, t: InboundTransaction): Promise<InboundOutcome> {
  const { envelope } = t;
  const verification = await verifyMessage(t.raw, {
    ip: envelope.remoteAddress,
    helo: envelope.helo,
    sender: envelope.mailFrom,
    mta: deps.hostname,
    resolver: deps.authResolver,
  });
  const stored = withTraceFields(t, deps.hostname, verification.headers);
  // Parsed only if a decision asks for it (the built-in checks do not; the mailbox parses to store).
  let parsed: ParsedMessage | null = null;
  // Prepared once for every account that accepts it (the same bytes for each).
  let prepared: Promise<PreparedMessage> | undefined;
  const message: InboundMessage = {
    size: stored.byteLength,
    raw: stored,
    parsed: () => {
      parsed ??= parseMessage(stored);
      return parsed;
    },
    attachments: async () => {
      prepared ??= deps.mailboxes.prepare(stored);
      return (await prepared).attachments;
    },
    authentication: verification.verdict,
    spam: new MessageSpamSignals(deps.spam, {
      raw: stored,
      ip: envelope.remoteAddress,
      helo: envelope.helo,
      mailFrom: envelope.mailFrom,
      recipients: t.recipients.map((r) => r.address),
      authentication: verification.verdict,
      nowS: Math.floor(Date.now() / 1000),
    }),
  };

  const refused: { address: string; grant: GrantRow; refusal: Refusal }[] = [];
  const writes = await Promise.all(
    t.recipients.map(async (r) => {
      const decision = await decideMessage(deps.policy, envelope, r.grant, message);
      if (decision.action !== "accept") {
        refused.push({ address: r.address, grant: r.grant, refusal: decision });
        return null;
      }
      try {
        prepared ??= deps.mailboxes.prepare(stored);
        return await deps.mailboxes.ask(r.grant.id, "append", {
          folderId: decision.folderId,
          raw: stored,
          prepared,
          flags: decision.flags,
          authentication: verification.verdict,
          ...(decision.rules && { rules: decision.rules }),
          ...(decision.dailyReceiveLimit !== undefined && { dailyReceiveLimit: decision.dailyReceiveLimit }),
          ...(decision.spam && { spam: decision.spam }),
        });
      } catch (err) {
        refused.push({ address: r.address, grant: r.grant, refusal: commitRefusal(err, r.address) });
        if (!(err instanceof MailboxError))
          deps.log.error({ err, grantId: r.grant.id }, "inbound store failed");
        return null;
      }
    }),
  );
  const copies = writes.filter((w) => w !== null).length;
  if (copies === 0) {
    // Nothing stored: the whole transaction gets the (first temporary, else first) refusal.
    const refusal = (refused.find((r) => r.refusal.code < 500) ?? refused[0])?.refusal ?? localError();
    return { kind: "refused", refusal };
  }
  if (refused.length > 0) await notifySender(deps, t, stored, refused);
  return {
    kind: "stored",
    copies,
    text: `2.6.0 ${messageIdOf(t.raw) ?? "message"} stored for ${copies} recipient${copies === 1 ? "" : "s"}`,
    authentication: verification.verdict,
  };
}

/** Authentication-Results (and Received-SPF) on top, then our Received, then the message as sent. */
function withTraceFields(t: InboundTransaction, hostname: string, authHeaders: string): Uint8Array {
  const e = t.envelope;
  const received = receivedLines({
    helo: e.helo,
    remoteAddress: e.remoteAddress,
    hostname,
    protocol: e.secure ? "ESMTPS" : "ESMTP",
    id: t.sessionId,
  });
  let fields = `${authHeaders}${received.join("\r\n")}\r\n`;
  if (lineEnding(t.raw) === "\n") fields = fields.replace(/\r\n/g, "\n");
  return Buffer.concat([Buffer.from(fields, "utf8"), asBuffer(t.raw)]);
}

function commitRefusal(err: unknown, address: string): Refusal {
  if (err instanceof MailboxError && err.code === "over_quota") {
    return { code: 452, enhanced: "4.2.2", text: `<${address}>: mailbox full (over its storage quota)` };
  }
  if (err instanceof MailboxError && err.code === "rate_limited") {
    return { code: 452, enhanced: "4.2.1", text: `<${address}>: ${err.message}` };
  }
  return localError();
}

function localError(): Refusal {
  return { code: 451, enhanced: "4.3.0", text: "local error while storing the message; try again later" };
}

/**
 * Some recipients took the message and others could not: SMTP has one reply per message, so
 * the 250 stands and the sender gets a bounce for the others (RFC 5321 §3.7), unless it is
 * itself a bounce (null sender).
 */
async function notifySender(
  deps: InboundDeps,
  t: InboundTransaction,
  stored: Uint8Array,
  refused: { address: string; grant: GrantRow; refusal: Refusal }[],
): Promise<void> {
  const sender = t.envelope.mailFrom;
  if (!sender) return;
  const noticeId = newId();
  const dsn = buildDsn({
    reportingMta: deps.hostname,
    to: sender,
    arrivalDate: new Date(),
    recipients: refused.map((r) => ({
      address: r.address,
      status: r.refusal.enhanced.startsWith("4") ? `5${r.refusal.enhanced.slice(1)}` : r.refusal.enhanced,
      diagnostic: `smtp; ${r.refusal.code} ${r.refusal.enhanced} ${r.refusal.text}`,
      remoteMta: deps.hostname,
    })),
    original: stored,
    messageId: `<dsn.${noticeId}@${deps.hostname}>`,
  });
  try {
    const hosted = findGrantByEmail(deps.store, sender);
    if (hosted) {
      await deps.mailboxes.ask(hosted.id, "append", { folderId: "inbox", raw: dsn });
    } else {
      const owner = refused[0]?.grant.id as string;
      await enqueueNotice(
        deps.store,
        { grantId: owner, messageId: noticeId, rcptTo: sender, raw: dsn },
        Math.floor(Date.now() / 1000),
      );
      deps.onQueued?.();
    }
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, sender }, "partial-delivery notice not sent");
  }
}

/** The Message-ID as the sender wrote it (for the 250 text), without parsing the whole message. */
function messageIdOf(raw: Uint8Array): string | null {
  const value = findField(headerFields(raw), "message-id")?.value.trim();
  return value && /^<[^<>\s]+>$/.test(value) ? value : null;
}

function asBuffer(raw: Uint8Array): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}
