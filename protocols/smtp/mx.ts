/**
 * The inbound MX (AGENTBOX_MX_PORT, 25): STARTTLS offered, no AUTH. RCPT asks
 * `decideRecipient`; after DATA the message goes to `receiveInbound`, which verifies it, asks
 * `decideMessage` per recipient and stores it; 250 only once every copy is committed.
 */
import type { SMTPServerOptions, SMTPServerSession } from "smtp-server";
import type { InboundDeps } from "../../src/smtp/inbound.ts";
import { receiveInbound } from "../../src/smtp/inbound.ts";
import { decideRecipient } from "../../src/smtp/policy.ts";
import type { GrantRow } from "../../src/store/schema.ts";
import type { GreetedClients } from "./greeting.ts";
import { reply } from "./replies.ts";
import {
  type ConnectionLimit,
  envelopeOf,
  type HeaderLimits,
  headerTooBig,
  readMessage,
  tooBig,
} from "./session.ts";

type Handlers = Pick<SMTPServerOptions, "onConnect" | "onClose" | "onMailFrom" | "onRcptTo" | "onData">;

/** Recipients accepted in the current transaction (keyed by its envelope: a new one per MAIL). */
type Accepted = Map<string, { address: string; grant: GrantRow }>;

export function mxHandlers(
  deps: InboundDeps,
  limit: ConnectionLimit,
  greeted: GreetedClients,
  header: HeaderLimits,
): Handlers {
  const transactions = new WeakMap<object, Accepted>();
  const accepted = (session: SMTPServerSession): Accepted => {
    let map = transactions.get(session.envelope);
    if (!map) {
      map = new Map();
      transactions.set(session.envelope, map);
    }
    return map;
  };

  return {
    onConnect(session, callback) {
      callback(limit.enter(session));
    },
    onClose(session) {
      limit.leave(session);
    },
    // A declared SIZE over the limit is refused by smtp-server itself (its `size` option), before this.
    onMailFrom(_address, session, callback) {
      transactions.delete(session.envelope);
      // It waited for the greeting (an early talker never gets here): no pause next time.
      greeted.remember(session.remoteAddress);
      callback();
    },
    onRcptTo(address, session, callback) {
      decideRecipient(deps.policy, envelopeOf(session), address.address).then(
        (decision) => {
          if (decision.action !== "accept")
            return callback(reply(decision.code, decision.enhanced, decision.text));
          // One stored copy per account, however many of its addresses the envelope names.
          accepted(session).set(decision.grant.id, { address: address.address, grant: decision.grant });
          callback();
        },
        (err) => {
          deps.log.error({ err }, "MX recipient check failed");
          callback(reply(451, "4.3.0", "local error; try again later"));
        },
      );
    },
    onData(stream, session, callback) {
      const envelope = envelopeOf(session);
      const recipients = [...accepted(session).values()];
      readMessage(stream, header)
        .then(async (data) => {
          if (data.kind === "too_big") return callback(tooBig(deps.policy.maxMessageBytes));
          if (data.kind === "header_too_big") return callback(headerTooBig(header));
          const raw = data.raw;
          const outcome = await receiveInbound(deps, { envelope, sessionId: session.id, recipients, raw });
          if (outcome.kind === "refused") {
            const r = outcome.refusal;
            return callback(reply(r.code, r.enhanced, r.text));
          }
          deps.log.info(
            {
              session: session.id,
              from: envelope.mailFrom,
              copies: outcome.copies,
              spf: outcome.authentication.spf.result,
              dmarc: outcome.authentication.dmarc.result,
            },
            "inbound message stored",
          );
          callback(null, outcome.text);
        })
        .catch((err) => {
          deps.log.error({ err, session: session.id }, "inbound message failed");
          callback(reply(451, "4.3.0", "local error while storing the message; try again later"));
        });
    },
  };
}
