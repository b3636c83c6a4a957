/**
 * SMTP replies with our own enhanced status codes (RFC 3463).
 *
 * smtp-server adds an enhanced code to every reply from a table keyed by the basic code (553 →
 * 5.1.3, 538 → 5.7.0), so a handler cannot say `553 5.7.1` or `538 5.7.11`. `installReplyCodes()`
 * wraps its one write site: a reply text that already starts with an enhanced code is sent as
 * given, the library's own 538 gets RFC 7817's 5.7.11, and an EHLO reply that offers STARTTLS
 * does not offer AUTH (usable only after it). Everything else is left to the library. smtp-server is pinned (3.21.6), and test/smtp/replies.test.ts pins this behaviour.
 */
import { SMTPConnection } from "smtp-server/lib/smtp-connection.js";

const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3} /;

/** A refusal a handler passes to smtp-server's callback: the basic code, the enhanced code, the text. */
export class SmtpReply extends Error {
  readonly responseCode: number;

  constructor(code: number, enhanced: string, text: string) {
    super(`${enhanced} ${text}`);
    this.responseCode = code;
    this.name = "SmtpReply";
  }
}

export const reply = (code: number, enhanced: string, text: string) => new SmtpReply(code, enhanced, text);

let installed = false;

export function installReplyCodes(): void {
  if (installed) return;
  installed = true;
  type Send = (code: number, data?: string | string[], context?: string | false) => void;
  const proto = SMTPConnection.prototype as unknown as { send: Send };
  const original = proto.send;
  proto.send = function send(this: unknown, code, data, context) {
    if (code === 538) {
      return original.call(this, code, "5.7.11 Encryption required: issue STARTTLS before AUTH", false);
    }
    if (typeof data === "string" && ENHANCED.test(data)) return original.call(this, code, data, false);
    // EHLO before STARTTLS: AUTH is not offered where it cannot be used (RFC 4954 §4, 538 if tried).
    if (Array.isArray(data) && data.includes("STARTTLS")) {
      return original.call(
        this,
        code,
        data.filter((line) => !line.startsWith("AUTH ")),
        context,
      );
    }
    return original.call(this, code, data, context);
  };
}
