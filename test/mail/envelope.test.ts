import { describe, expect, test } from "bun:test";
import { buildEnvelope, encodeEnvelope } from "../../src/mail/envelope.ts";
import { parseMimeTree } from "../../src/mail/mime-tree.ts";
import { loadEml } from "./eml.ts";

const headersOf = (s: string) => parseMimeTree(Buffer.from(s.replace(/\n/g, "\r\n"), "latin1")).headers;
const envelopeOf = (name: string) => encodeEnvelope(buildEnvelope(parseMimeTree(loadEml(name)).headers));

describe("buildEnvelope", () => {
  test("all ten members as JSON", () => {
    const env = buildEnvelope(
      headersOf(`Message-ID: <msg@id>
In-Reply-To: <reply@to.id>
Date: Thu, 15 Feb 2007 01:02:03 +0200
Subject: subject header
From: From Real <fromuser@fromdomain.org>
To: To Real <touser@todomain.org>
Cc: Cc Real <ccuser@ccdomain.org>
Bcc: Bcc Real <bccuser@bccdomain.org>
Sender: Sender Real <senderuser@senderdomain.org>
Reply-To: ReplyTo Real <replytouser@replytodomain.org>

body
`),
    );
    const one = (name: string, mailbox: string, host: string) => [{ name, adl: null, mailbox, host }];
    expect(env).toEqual({
      date: "Thu, 15 Feb 2007 01:02:03 +0200",
      subject: "subject header",
      from: one("From Real", "fromuser", "fromdomain.org"),
      sender: one("Sender Real", "senderuser", "senderdomain.org"),
      replyTo: one("ReplyTo Real", "replytouser", "replytodomain.org"),
      to: one("To Real", "touser", "todomain.org"),
      cc: one("Cc Real", "ccuser", "ccdomain.org"),
      bcc: one("Bcc Real", "bccuser", "bccdomain.org"),
      inReplyTo: "<reply@to.id>",
      messageId: "<msg@id>",
    });
  });

  test("absent or empty Sender and Reply-To are the From; absent fields are null", () => {
    const env = buildEnvelope(headersOf("From: user@domain (Real Name)\nSender: \nTo:\n\nbody\n"));
    expect(env.sender).toEqual(env.from);
    expect(env.replyTo).toEqual(env.from);
    expect(env.to).toBeNull();
    expect([env.date, env.subject, env.cc, env.bcc, env.inReplyTo, env.messageId]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  test("folded values are unfolded; the last of a repeated field wins, addresses add up (as in Dovecot)", () => {
    expect(buildEnvelope(headersOf("Subject: a long\n  subject\n\n")).subject).toBe("a long  subject");
    const env = buildEnvelope(
      headersOf("Subject: first\nSubject: second\nTo: a@x.example\nTo: b@x.example\n\n"),
    );
    expect(env.subject).toBe("second");
    expect(env.to?.map((a) => a.mailbox)).toEqual(["a", "b"]);
  });
});

describe("encodeEnvelope", () => {
  test("plain message", () => {
    expect(envelopeOf("01-plain-text.eml")).toBe(
      '("Mon, 3 Mar 2025 09:15:00 +0000" "Lunch on Thursday?" (("Alice Example" NIL "alice" "example.com")) ' +
        '(("Alice Example" NIL "alice" "example.com")) (("Alice Example" NIL "alice" "example.com")) ' +
        '(("Bob" NIL "bob" "agentbox.test")) NIL NIL NIL "<lunch-1@example.com>")',
    );
  });

  test("several recipients and a quoted display name with a comma", () => {
    expect(envelopeOf("03-mixed-related-pdf.eml")).toBe(
      '("Wed, 5 Mar 2025 08:30:00 -0500" "Q1 report" (("Carol" NIL "carol" "example.org")) ' +
        '(("Carol" NIL "carol" "example.org")) (("Carol" NIL "carol" "example.org")) ' +
        '(("Bob" NIL "bob" "agentbox.test")("Dave D." NIL "dave" "example.net")) ' +
        '((NIL NIL "team" "example.org")) NIL NIL "<q1-report@example.org>")',
    );
  });

  test("encoded-words are sent un-decoded", () => {
    expect(envelopeOf("07-latin1-qp.eml")).toBe(
      `("Tue, 11 Mar 2025 08:00:00 +0100" "=?ISO-8859-1?Q?R=E9union_d'=E9quipe?=" ` +
        '(("=?UTF-8?B?w4lsb2RpZSBNYXJ0aW4=?=" NIL "elodie" "example.fr")) ' +
        '(("=?UTF-8?B?w4lsb2RpZSBNYXJ0aW4=?=" NIL "elodie" "example.fr")) ' +
        '(("=?UTF-8?B?w4lsb2RpZSBNYXJ0aW4=?=" NIL "elodie" "example.fr")) ' +
        '(("=?ISO-8859-1?Q?Andr=E9?=" NIL "andre" "example.fr")) NIL NIL NIL "<reunion@example.fr>")',
    );
  });

  test("raw 8-bit header bytes go out as literals, byte for byte", () => {
    const from = '(({13}\r\nRen\xc3\xa9e Dupont NIL "renee" "example.com"))';
    expect(envelopeOf("11-malformed.eml")).toBe(
      `("Sat, 15 Mar 2025 12:00:00 +0000" {21}\r\nCaf\xe9 "menu" for today ${from} ${from} ${from} ` +
        '((NIL NIL "bob" "agentbox.test")) NIL NIL NIL "<broken@example.com>")',
    );
  });

  test("groups and a message without Message-ID", () => {
    const env = buildEnvelope(headersOf("From: a@b\nTo: list: x@y;, z@w\n\n"));
    expect(encodeEnvelope(env)).toBe(
      '(NIL NIL ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) ' +
        '((NIL NIL "list" NIL)(NIL NIL "x" "y")(NIL NIL NIL NIL)(NIL NIL "z" "w")) NIL NIL NIL NIL)',
    );
  });

  test("an empty header gives ten NILs", () => {
    expect(encodeEnvelope(buildEnvelope([]))).toBe("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
  });
});
