/**
 * SMTP submission for mail clients: AGENTBOX_SMTPS_PORT (465, implicit TLS) and
 * AGENTBOX_SUBMISSION_PORT (587, STARTTLS required before AUTH). AUTH PLAIN/LOGIN with the
 * account email and its app password; the message then takes the API's send path
 * (`sendRawMime`): same quota, Sent copy, queue and local delivery.
 */

import type { SMTPServerOptions, SMTPServerSession } from "smtp-server";
import type { PasswordLogins } from "../../src/accounts/password-login.ts";
import { MailboxError } from "../../src/domain/errors.ts";
import { ComposeError } from "../../src/mail/compose/errors.ts";
import { authorProblem } from "../../src/sending/author.ts";
import type { SendingDeps } from "../../src/sending/deps.ts";
import { MAX_RECIPIENTS } from "../../src/sending/limits.ts";
import { sendRawMime } from "../../src/sending/raw-send.ts";
import { isHeldForReview } from "../../src/sending/review.ts";
import { currentGrant, type SmtpUser } from "../../src/smtp/credentials.ts";
import { receivedLines } from "../../src/smtp/trace.ts";
import { reply } from "./replies.ts";
import { type ConnectionLimit, headerTooBig, readMessage, tooBig } from "./session.ts";

export interface SubmissionDeps extends SendingDeps {
  /** App-password logins, shared with IMAP (one budget of wrong guesses per account and address). */
  logins: PasswordLogins;
}

type Handlers = Pick<
  SMTPServerOptions,
  "onConnect" | "onClose" | "onAuth" | "onMailFrom" | "onRcptTo" | "onData"
>;

export function submissionHandlers(deps: SubmissionDeps, limit: ConnectionLimit): Handlers {
  const max = deps.config.limits.maxMessageBytes;
  return {
    onConnect(session, callback) {
      callback(limit.enter(session));
    },
    onClose(session) {
      limit.leave(session);
    },
    onAuth(auth, session, callback) {
      if (auth.method !== "PLAIN" && auth.method !== "LOGIN") {
        return callback(reply(504, "5.5.4", "use AUTH PLAIN or AUTH LOGIN"));
      }
      const address = session.remoteAddress;
      deps.logins.login(auth.username ?? "", auth.password ?? "", address).then(
        (result) => {
          if (result.ok) return callback(null, { user: result.account satisfies SmtpUser });
          const why = result.refused === "limited" ? "too many failed logins" : result.cause;
          deps.log.info({ address, why }, "smtp login refused");
          if (result.refused === "limited") {
            const seconds = Math.ceil(result.retryAfterMs / 1000);
            return callback(reply(454, "4.7.0", `too many failed logins; try again in ${seconds} s`));
          }
          callback(reply(535, "5.7.8", "authentication failed: wrong account email or app password"));
        },
        (err) => {
          deps.log.error({ err }, "SMTP login check failed");
          callback(reply(454, "4.7.0", "temporary authentication failure; try again"));
        },
      );
    },
    // A declared SIZE over the limit is refused by smtp-server itself (its `size` option), before this.
    onMailFrom(address, session, callback) {
      loginStands(deps, session).then(
        (grant) => {
          if (!grant) return callback(rotated());
          if (address.address.toLowerCase() !== grant.email.toLowerCase()) {
            return callback(
              reply(
                553,
                "5.7.1",
                `sender <${address.address}> is not ${grant.email}: this account sends only as itself`,
              ),
            );
          }
          callback();
        },
        (err) => {
          deps.log.error({ err }, "SMTP MAIL FROM check failed");
          callback(reply(451, "4.3.0", "local error; try again"));
        },
      );
    },
    onRcptTo(_address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        return callback(reply(452, "4.5.3", `too many recipients (at most ${MAX_RECIPIENTS} per message)`));
      }
      callback();
    },
    onData(stream, session, callback) {
      const rcptTo = session.envelope.rcptTo.map((r) => r.address);
      readMessage(stream, deps.config.smtp)
        .then(async (data) => {
          if (data.kind === "too_big") return callback(tooBig(max));
          if (data.kind === "header_too_big") return callback(headerTooBig(deps.config.smtp));
          const raw = data.raw;
          const grant = await loginStands(deps, session);
          if (!grant) return callback(rotated());
          const wrongAuthor = authorProblem(raw, grant.email);
          if (wrongAuthor) return callback(reply(553, "5.7.1", wrongAuthor));
          const trace = receivedLines({
            helo: typeof session.hostNameAppearsAs === "string" ? session.hostNameAppearsAs : "",
            remoteAddress: session.remoteAddress,
            hostname: deps.config.hostname,
            protocol: session.secure ? "ESMTPSA" : "ESMTPA",
            id: session.id,
          });
          const sent = await sendRawMime(deps, grant, raw, { recipients: rcptTo, trace });
          const what = isHeldForReview(deps, sent.row.id)
            ? `held for review (a rule of the account's policy); release it by moving ${sent.row.id} to Outbox`
            : `sent; the copy in Sent is ${sent.row.id}`;
          callback(null, `2.0.0 ${sent.row.messageIdHeader ?? ""} ${what}`.trim());
        })
        .catch((err) => callback(submissionError(deps, session, err)));
    },
  };
}

/** The session's login, if the app password has not changed since (checked per transaction). */
async function loginStands(deps: SendingDeps, session: SMTPServerSession) {
  const user = session.user as SmtpUser | undefined;
  if (!user) return null;
  return currentGrant(deps.store, user);
}

function rotated() {
  return reply(535, "5.7.8", "the account's app password was changed or removed: log in again");
}

function submissionError(deps: SendingDeps, session: SMTPServerSession, err: unknown): Error {
  if (err instanceof MailboxError) {
    switch (err.code) {
      case "rate_limited":
        return reply(451, "4.7.0", err.message);
      case "too_big":
        return reply(552, "5.3.4", err.message);
      case "over_quota":
        return reply(452, "4.2.2", `your mailbox is full, the Sent copy cannot be stored: ${err.message}`);
      case "blocked":
        return reply(550, "5.7.1", err.message);
      case "unavailable":
        return reply(451, "4.3.0", err.message);
      default:
        return reply(554, "5.6.0", err.message);
    }
  }
  if (err instanceof ComposeError) return reply(554, "5.6.0", err.message);
  deps.log.error({ err, session: session.id }, "SMTP submission failed");
  return reply(451, "4.3.0", "local error while sending; try again later");
}
