import { describe, expect, test } from "bun:test";
import { type ParsedMail, simpleParser } from "mailparser";
import Nylas from "nylas";
import { type ComposeContext, composeMime } from "../../src/mail/compose/mime.ts";
import { isValidEmail } from "../../src/mail/compose/participants.ts";
import { envelopeRecipients, requestFingerprint } from "../../src/mail/compose/recipients.ts";
import {
  ComposeError,
  type FilePart,
  parseSendRequest,
  type SendRequest,
} from "../../src/mail/compose/request.ts";

type Json = Record<string, unknown>;

const SEND = { forDraft: false, maxRecipients: 50 };
const DRAFT = { forDraft: true, maxRecipients: 50 };
const ACCOUNT = { name: "Agent Smith", email: "agent@agents.test" };
const DATE = new Date("2026-03-04T05:06:07Z");
const CTX: ComposeContext = {
  from: ACCOUNT,
  messageIdDomain: "mail.agents.test",
  date: DATE,
  messageId: "fixed-1@mail.agents.test",
};
const BASE: Json = { to: [{ email: "kim@example.com" }] };

const send = (json: Json, files?: FilePart[]) => parseSendRequest({ json, files }, SEND);
const people = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@x.com` }));
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const headerBlock = (raw: Uint8Array) => latin1(raw).split("\r\n\r\n")[0]!;

async function composeAndParse(json: Json, ctx: ComposeContext = CTX) {
  const req = send({ ...BASE, ...json });
  const composed = await composeMime(req, ctx);
  const parsed: ParsedMail = await simpleParser(Buffer.from(composed.raw));
  return { req, composed, parsed, text: latin1(composed.raw) };
}

function composeError(run: () => unknown): ComposeError {
  try {
    run();
  } catch (err) {
    if (err instanceof ComposeError) return err;
    throw err;
  }
  throw new Error("expected a ComposeError");
}

/** Deterministic bytes covering every value 0..255. */
function pseudoRandomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

interface ErrorCase {
  json: Json;
  message: string;
  field: string;
  draft?: boolean;
}

const INJECTION = "a\r\nBcc: x@y.com";

const ERROR_CASES: ErrorCase[] = [
  // body and unknown fields
  { json: { html: "<p>x</p>" }, message: "unknown field: html", field: "html" },
  { json: { use_draft: true, to: [] }, message: "unknown field: use_draft", field: "use_draft", draft: true },
  { json: { unread: true }, message: "unknown field: unread", field: "unread" },
  // recipients
  { json: { to: undefined }, message: "to is required: list at least one recipient", field: "to" },
  { json: { to: [] }, message: "to is required: list at least one recipient", field: "to" },
  { json: { to: "kim@example.com" }, message: "to must be a list of {name, email} objects", field: "to" },
  {
    json: { to: [{ email: "a@x.com" }, "b@x.com"] },
    message: "to[1] must be an object with an email",
    field: "to[1]",
  },
  {
    json: { to: [{ email: "a@x.com" }, { name: "B" }] },
    message: "to[1].email is required",
    field: "to[1].email",
  },
  {
    json: { to: [{ email: "a@x.com" }, { email: "not-an-email" }] },
    message: "to[1].email is not a valid email address",
    field: "to[1].email",
  },
  { json: { cc: [{ email: 42 }] }, message: "cc[0].email must be a string", field: "cc[0].email" },
  {
    json: { bcc: [{ email: "b@x.com", name: 7 }] },
    message: "bcc[0].name must be a string",
    field: "bcc[0].name",
  },
  {
    json: { reply_to: [{ email: "a@@x.com" }] },
    message: "reply_to[0].email is not a valid email address",
    field: "reply_to[0].email",
  },
  {
    json: { to: people(20, "t"), cc: people(20, "c"), bcc: people(11, "b") },
    message: "too many recipients: 51 (to + cc + bcc ≤ 50)",
    field: "to",
  },
  {
    json: { from: [{ email: "agent@agents.test" }, { email: "other@agents.test" }] },
    message: "from may list only one address",
    field: "from",
  },
  // header injection
  {
    json: { subject: INJECTION },
    message: "subject may not contain line breaks or control characters",
    field: "subject",
  },
  {
    json: { to: [{ name: INJECTION, email: "kim@example.com" }] },
    message: "to[0].name may not contain line breaks or control characters",
    field: "to[0].name",
  },
  {
    json: { to: [{ email: "kim@example.com\r\nBcc: x@y.com" }] },
    message: "to[0].email may not contain line breaks or control characters",
    field: "to[0].email",
  },
  {
    json: { custom_headers: [{ name: "X-Note", value: INJECTION }] },
    message: "custom_headers[0].value may not contain line breaks or control characters",
    field: "custom_headers[0].value",
  },
  {
    json: { custom_headers: [{ name: "X-A\r\nBcc", value: "x@y.com" }] },
    message: "custom_headers[0].name may not contain line breaks or control characters",
    field: "custom_headers[0].name",
  },
  {
    json: { reply_to_message_id: "m1\nX-Evil: 1" },
    message: "reply_to_message_id may not contain line breaks or control characters",
    field: "reply_to_message_id",
  },
  // scalar fields
  { json: { subject: 5 }, message: "subject must be a string", field: "subject" },
  { json: { subject: "s".repeat(999) }, message: "subject must be at most 998 characters", field: "subject" },
  { json: { body: ["<p>"] }, message: "body must be a string", field: "body" },
  { json: { is_plaintext: "yes" }, message: "is_plaintext must be true or false", field: "is_plaintext" },
  {
    json: { reply_to_message_id: 9 },
    message: "reply_to_message_id must be a string",
    field: "reply_to_message_id",
  },
  { json: { send_at: "tomorrow" }, message: "send_at must be a Unix timestamp in seconds", field: "send_at" },
  { json: { send_at: 1.5 }, message: "send_at must be a Unix timestamp in seconds", field: "send_at" },
  { json: { use_draft: "no" }, message: "use_draft must be true or false", field: "use_draft" },
  { json: { starred: 1 }, message: "starred must be true or false", field: "starred" },
  { json: { unread: "no" }, message: "unread must be true or false", field: "unread", draft: true },
  { json: { signature_id: 5 }, message: "signature_id must be a string", field: "signature_id" },
  // attachments
  {
    json: { attachments: {} },
    message: "attachments must be a list of attachment objects",
    field: "attachments",
  },
  {
    json: { attachments: ["x"] },
    message: "attachments[0] must be an attachment object",
    field: "attachments[0]",
  },
  {
    json: { attachments: [{ content_type: "text/plain", content: "aGk=" }] },
    message: "attachments[0].filename is required",
    field: "attachments[0].filename",
  },
  {
    json: { attachments: [{ filename: "a\r\n.txt", content_type: "text/plain", content: "aGk=" }] },
    message: "attachments[0].filename may not contain line breaks or control characters",
    field: "attachments[0].filename",
  },
  {
    json: { attachments: [{ filename: "a.txt", content: "aGk=" }] },
    message: "attachments[0].content_type is required",
    field: "attachments[0].content_type",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text", content: "aGk=" }] },
    message: "attachments[0].content_type must be a MIME type such as application/pdf",
    field: "attachments[0].content_type",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain" }] },
    message: "attachments[0].content is required",
    field: "attachments[0].content",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain", content: "not base64!" }] },
    message: "attachments[0].content is not valid base64",
    field: "attachments[0].content",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain", content: "aGk=a" }] },
    message: "attachments[0].content is not valid base64",
    field: "attachments[0].content",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain", content: "AAAAA" }] },
    message: "attachments[0].content is not valid base64",
    field: "attachments[0].content",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain", content: 12 }] },
    message: "attachments[0].content must be a base64 string",
    field: "attachments[0].content",
  },
  {
    json: {
      attachments: [{ filename: "a.png", content_type: "image/png", content: "aGk=", content_id: "a b" }],
    },
    message: "attachments[0].content_id may not contain spaces, quotes or <>",
    field: "attachments[0].content_id",
  },
  {
    json: {
      attachments: [
        { filename: "a.txt", content_type: "text/plain", content: "aGk=", content_disposition: "x" },
      ],
    },
    message: 'attachments[0].content_disposition must be "inline" or "attachment"',
    field: "attachments[0].content_disposition",
  },
  {
    json: { attachments: [{ filename: "a.txt", content_type: "text/plain", content: "aGk=", size: -1 }] },
    message: "attachments[0].size must be a whole number of bytes",
    field: "attachments[0].size",
  },
  {
    json: {
      attachments: [{ filename: "a.txt", content_type: "text/plain", content: "aGk=", is_inline: "y" }],
    },
    message: "attachments[0].is_inline must be true or false",
    field: "attachments[0].is_inline",
  },
  // custom headers
  {
    json: { custom_headers: { "X-A": "1" } },
    message: "custom_headers must be a list of {name, value} objects",
    field: "custom_headers",
  },
  {
    json: { custom_headers: ["X-A: 1"] },
    message: "custom_headers[0] must be an object with a name and a value",
    field: "custom_headers[0]",
  },
  {
    json: { custom_headers: [{ value: "1" }] },
    message: "custom_headers[0].name is required",
    field: "custom_headers[0].name",
  },
  {
    json: { custom_headers: [{ name: "X-A" }] },
    message: "custom_headers[0].value is required",
    field: "custom_headers[0].value",
  },
  {
    json: { custom_headers: [{ name: "X-A", value: 1 }] },
    message: "custom_headers[0].value must be a string",
    field: "custom_headers[0].value",
  },
  {
    json: { custom_headers: [{ name: "From", value: "boss@x.com" }] },
    message: "custom_headers[0].name may not set From (use from)",
    field: "custom_headers[0].name",
  },
  {
    json: {
      custom_headers: [
        { name: "X-Ok", value: "1" },
        { name: "bcc", value: "x@y.com" },
      ],
    },
    message: "custom_headers[1].name may not set Bcc (use bcc)",
    field: "custom_headers[1].name",
  },
  ...[
    ["To", "use to"],
    ["Cc", "use cc"],
    ["Subject", "use subject"],
    ["Date", "the server sets it"],
    ["Message-ID", "the server sets it"],
    ["MIME-Version", "the server sets it"],
    ["Content-Type", "the server sets it"],
    ["Content-Transfer-Encoding", "the server sets it"],
    ["In-Reply-To", "use reply_to_message_id"],
    ["References", "use reply_to_message_id"],
  ].map(
    ([name, hint]): ErrorCase => ({
      json: { custom_headers: [{ name: name!.toUpperCase(), value: "x" }] },
      message: `custom_headers[0].name may not set ${name} (${hint})`,
      field: "custom_headers[0].name",
    }),
  ),
  {
    json: { custom_headers: [{ name: "X Spaced", value: "1" }] },
    message: "custom_headers[0].name must be printable ASCII without spaces or colons",
    field: "custom_headers[0].name",
  },
  {
    json: { custom_headers: [{ name: "X-A:", value: "1" }] },
    message: "custom_headers[0].name must be printable ASCII without spaces or colons",
    field: "custom_headers[0].name",
  },
  {
    json: { custom_headers: Array.from({ length: 51 }, (_, i) => ({ name: `X-H${i}`, value: "v" })) },
    message: "custom_headers may list at most 50 headers",
    field: "custom_headers",
  },
  // metadata
  { json: { metadata: ["a"] }, message: "metadata must be an object of string values", field: "metadata" },
  {
    json: { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
    message: "metadata may hold at most 50 pairs (got 51)",
    field: "metadata",
  },
  { json: { metadata: { key1: 1 } }, message: "metadata.key1 must be a string", field: "metadata.key1" },
  {
    json: { metadata: { key1: "v".repeat(501) } },
    message: "metadata.key1 must be at most 500 characters",
    field: "metadata.key1",
  },
  // accepted-but-ignored features still have types
  {
    json: { tracking_options: "on" },
    message: "tracking_options must be an object",
    field: "tracking_options",
  },
  {
    json: { tracking_options: { opens: "yes" } },
    message: "tracking_options.opens must be true or false",
    field: "tracking_options.opens",
  },
  {
    json: { tracking_options: { label: 3 } },
    message: "tracking_options.label must be a string",
    field: "tracking_options.label",
  },
  { json: { template: "t1" }, message: "template must be an object with an id", field: "template" },
  { json: { template: { strict: true } }, message: "template.id is required", field: "template.id" },
  {
    json: { template: { id: "t1", strict: "yes" } },
    message: "template.strict must be true or false",
    field: "template.strict",
  },
  {
    json: { template: { id: "t1", variables: [] } },
    message: "template.variables must be an object",
    field: "template.variables",
  },
];

describe("parseSendRequest: every rule names its field", () => {
  for (const c of ERROR_CASES) {
    test(c.message, () => {
      const opts = c.draft ? DRAFT : SEND;
      const err = composeError(() => parseSendRequest({ json: { ...BASE, ...c.json } }, opts));
      expect(err.message).toBe(c.message);
      expect(err.field).toBe(c.field);
    });
  }

  test("a body that is not a JSON object", () => {
    const err = composeError(() => parseSendRequest({ json: [BASE] }, SEND));
    expect(err.message).toBe("request body must be a JSON object");
  });

  test("file parts are checked like JSON attachments, named by their form field", () => {
    const part = {
      field: "file0",
      filename: "x\r\n.txt",
      contentType: "text/plain",
      bytes: new Uint8Array(1),
    };
    expect(composeError(() => send(BASE, [part])).message).toBe(
      "file0.filename may not contain line breaks or control characters",
    );
    const badType = { ...part, filename: "x.txt", contentType: "plain" };
    expect(composeError(() => send(BASE, [badType])).message).toBe(
      "file0.content_type must be a MIME type such as application/pdf",
    );
  });
});

describe("parseSendRequest: accepted requests", () => {
  test("the full Nylas body maps onto SendRequest", () => {
    const req = send({
      to: [{ name: "Kim", email: "kim@example.com" }],
      cc: [{ email: "cc@example.com", name: null }],
      bcc: [{ email: "bcc@example.com" }],
      reply_to: [{ name: "Desk", email: "desk@agents.test" }],
      from: [{ name: "Agent", email: "AGENT@agents.test" }],
      subject: "Re: hi",
      body: "<p>HTML</p>",
      is_plaintext: false,
      reply_to_message_id: "msg_1",
      attachments: [{ filename: "a.txt", content_type: "text/plain", content: "aGVsbG8=", size: 5 }],
      custom_headers: [{ name: "X-Campaign", value: "x" }],
      metadata: { key1: "v" },
      send_at: 1735689600,
      use_draft: false,
      starred: true,
      tracking_options: { opens: false, links: false, thread_replies: true, label: "" },
      signature_id: "sig_1",
      template: { id: "tpl", strict: true, variables: { a: 1 } },
    });
    expect(req).toEqual({
      to: [{ name: "Kim", email: "kim@example.com" }],
      cc: [{ email: "cc@example.com" }],
      bcc: [{ email: "bcc@example.com" }],
      replyTo: [{ name: "Desk", email: "desk@agents.test" }],
      from: [{ name: "Agent", email: "AGENT@agents.test" }],
      subject: "Re: hi",
      body: "<p>HTML</p>",
      isPlaintext: false,
      replyToMessageId: "msg_1",
      attachments: [
        {
          filename: "a.txt",
          contentType: "text/plain",
          content: Buffer.from("hello"),
          disposition: "attachment",
        },
      ],
      customHeaders: [{ name: "X-Campaign", value: "x" }],
      metadata: { key1: "v" },
      sendAt: 1735689600,
      useDraft: false,
      starred: true,
      trackingOptions: { opens: false, links: false, threadReplies: true, label: "" },
      signatureId: "sig_1",
      template: { id: "tpl", strict: true, variables: { a: 1 } },
    });
  });

  test("null counts as absent; defaults fill the rest", () => {
    const req = send({ ...BASE, cc: null, subject: null, body: null, metadata: null, attachments: null });
    expect(req).toEqual({
      to: [{ email: "kim@example.com" }],
      cc: [],
      bcc: [],
      replyTo: [],
      from: [],
      subject: "",
      body: "",
      isPlaintext: false,
      attachments: [],
      customHeaders: [],
      metadata: {},
    });
  });

  test("drafts need no recipients and accept starred/unread", () => {
    const req = parseSendRequest({ json: { subject: "later", starred: true, unread: false } }, DRAFT);
    expect(req.to).toEqual([]);
    expect(req.starred).toBe(true);
    expect(req.unread).toBe(false);
    expect(parseSendRequest({ json: undefined }, DRAFT).subject).toBe("");
  });

  test("exactly maxRecipients is fine", () => {
    const req = send({ to: people(30, "t"), cc: people(10, "c"), bcc: people(10, "b") });
    expect(req.to.length + req.cc.length + req.bcc.length).toBe(50);
    expect(() => parseSendRequest({ json: { to: people(3, "t") } }, { ...SEND, maxRecipients: 2 })).toThrow(
      "too many recipients: 3 (to + cc + bcc ≤ 2)",
    );
  });

  test("email syntax", () => {
    for (const ok of ["a@x.com", "first.last+tag@sub.example.co.uk", "o'brien@x.io", "A_B-c@x-y.com"]) {
      expect(isValidEmail(ok)).toBe(true);
    }
    for (const bad of [
      "plain",
      "@x.com",
      "a@",
      "a@x",
      "a b@x.com",
      "a@x..com",
      "a@-x.com",
      ".a@x.com",
      "a.@x.com",
      "a@x.com.",
      '"q"@x.com',
      "a@[127.0.0.1]",
      `${"l".repeat(65)}@x.com`,
      "ü@x.com",
    ]) {
      expect(isValidEmail(bad)).toBe(false);
    }
  });

  test("base64 with line breaks and the URL-safe alphabet decodes", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xfe, 0x00, 0x41]);
    const standard = Buffer.from(bytes).toString("base64");
    const wrapped = `${standard.slice(0, 4)}\r\n${standard.slice(4)}`;
    const urlSafe = Buffer.from(bytes).toString("base64url");
    for (const content of [wrapped, urlSafe]) {
      const req = send({
        ...BASE,
        attachments: [{ filename: "b", content_type: "application/x-b", content }],
      });
      expect(Buffer.from(req.attachments[0]!.content).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  test("content_id makes an inline part unless a disposition says otherwise", () => {
    const png = { filename: "i.png", content_type: "image/png", content: "AQID" };
    const req = send({
      ...BASE,
      attachments: [
        { ...png, content_id: "<img1>" },
        { ...png, content_id: "img2", content_disposition: "Attachment" },
        { ...png, content_id: "img3", is_inline: false },
        { ...png, content_disposition: "inline" },
      ],
    });
    expect(req.attachments.map((a) => [a.contentId, a.disposition])).toEqual([
      ["img1", "inline"],
      ["img2", "attachment"],
      ["img3", "attachment"],
      [undefined, "inline"],
    ]);
  });

  test("multipart: file parts follow JSON attachments; a non-file{n} field is the content_id", () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    const files: FilePart[] = [
      { field: "file0", filename: "a.bin", contentType: "application/octet-stream", bytes },
      { field: "logo-1", filename: "logo.png", contentType: "image/png", bytes },
      { field: "attachment", filename: "spec.txt", contentType: "", bytes },
    ];
    const req = send(
      { ...BASE, attachments: [{ filename: "j.txt", content_type: "text/plain", content: "aGk=" }] },
      files,
    );
    expect(req.attachments.map((a) => [a.filename, a.contentType, a.contentId, a.disposition])).toEqual([
      ["j.txt", "text/plain", undefined, "attachment"],
      ["a.bin", "application/octet-stream", undefined, "attachment"],
      ["logo.png", "image/png", "logo-1", "inline"],
      ["spec.txt", "application/octet-stream", undefined, "attachment"],
    ]);
    expect(req.attachments[1]!.content).toBe(bytes);
  });
});

describe("composeMime", () => {
  test("From carries the account's name; To/Cc/Reply-To as given; Bcc only in the envelope", async () => {
    const { req, parsed, text } = await composeAndParse({
      to: [{ name: "Kim Lee", email: "kim@example.com" }, { email: "second@example.com" }],
      cc: [{ name: "Çedric", email: "ced@example.com" }],
      bcc: [{ name: "Hidden", email: "Secret@Example.com" }],
      reply_to: [{ email: "desk@agents.test" }],
    });
    expect(parsed.from?.value).toEqual([{ name: "Agent Smith", address: "agent@agents.test" }]);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value).toEqual([
      { name: "Kim Lee", address: "kim@example.com" },
      { name: "", address: "second@example.com" },
    ]);
    const cc = Array.isArray(parsed.cc) ? parsed.cc[0] : parsed.cc;
    expect(cc?.value).toEqual([{ name: "Çedric", address: "ced@example.com" }]);
    const replyTo = parsed.replyTo?.value;
    expect(replyTo).toEqual([{ name: "", address: "desk@agents.test" }]);
    expect(parsed.bcc).toBeUndefined();
    expect(text.toLowerCase()).not.toContain("secret@example.com");
    expect(text).not.toMatch(/^bcc:/im);
    expect(req.bcc).toEqual([{ name: "Hidden", email: "Secret@Example.com" }]);
    expect(envelopeRecipients(req)).toEqual([
      "kim@example.com",
      "second@example.com",
      "ced@example.com",
      "secret@example.com",
    ]);
  });

  test("from may restate the account address (any case) and change only the display name", async () => {
    const { parsed } = await composeAndParse({ from: [{ name: "Support Bot", email: "AGENT@Agents.Test" }] });
    expect(parsed.from?.value).toEqual([{ name: "Support Bot", address: "agent@agents.test" }]);
    const nameless = await composeAndParse({}, { ...CTX, from: { name: null, email: "agent@agents.test" } });
    expect(nameless.parsed.from?.value).toEqual([{ name: "", address: "agent@agents.test" }]);
  });

  test("a from address other than the account's is refused", async () => {
    const req = send({ ...BASE, from: [{ email: "ceo@agents.test" }] });
    const err = await composeMime(req, CTX).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ComposeError);
    expect((err as ComposeError).field).toBe("from[0].email");
    expect((err as ComposeError).message).toBe(
      "from[0].email must be this account's own address (agent@agents.test); it may only send as itself",
    );
  });

  test("UTF-8 and emoji subject is RFC 2047 encoded and round-trips; headers stay 7-bit", async () => {
    const subject = "Grüße aus Köln 🎉 — 日本語";
    const { parsed, composed } = await composeAndParse({
      subject,
      to: [{ name: "Zoë 🚀", email: "zoe@example.com" }],
    });
    expect(parsed.subject).toBe(subject);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]?.name).toBe("Zoë 🚀");
    const head = headerBlock(composed.raw);
    expect(head).toContain("=?UTF-8?");
    expect(
      [...head].every((ch) => ch === "\t" || ch === "\r" || ch === "\n" || (ch >= " " && ch <= "~")),
    ).toBe(true);
  });

  test("Message-ID uses the domain; Date is the given date", async () => {
    const { parsed, composed } = await composeAndParse({}, { ...CTX, messageId: undefined });
    expect(composed.messageId).toMatch(/^<[0-9a-f-]{36}@mail\.agents\.test>$/);
    expect(parsed.messageId).toBe(composed.messageId);
    expect(parsed.date?.toISOString()).toBe(DATE.toISOString());
    expect(headerBlock(composed.raw)).toContain("Date: Wed, 04 Mar 2026 05:06:07 +0000");
    const again = await composeMime(send(BASE), { ...CTX, messageId: undefined });
    expect(again.messageId).not.toBe(composed.messageId);
  });

  test("a reply gets In-Reply-To and References ending in the parent", async () => {
    const ctx = {
      ...CTX,
      replyTo: { messageId: "parent@x.com", references: ["<root@x.com>", "<mid@x.com>"] },
    };
    const { parsed } = await composeAndParse({ subject: "Re: hi" }, ctx);
    expect(parsed.inReplyTo).toBe("<parent@x.com>");
    expect(parsed.references).toEqual(["<root@x.com>", "<mid@x.com>", "<parent@x.com>"]);
    const first = await composeAndParse(
      {},
      { ...CTX, replyTo: { messageId: "<p@x.com>", references: ["p@x.com"] } },
    );
    expect(first.parsed.references).toBe("<p@x.com>");
  });

  test("HTML body gets a text alternative that keeps link URLs", async () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>Hello <b>Kim</b>,</p><p>Read <a href="https://x.com/a?b=1&amp;c=2">the doc</a> or <a href="https://y.com">https://y.com</a>.</p></body></html>';
    const { parsed, text } = await composeAndParse({ body: html });
    expect(text).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(parsed.html).toBe(html);
    expect(parsed.text?.trim()).toBe("Hello Kim,\nRead the doc (https://x.com/a?b=1&c=2) or https://y.com.");
  });

  test("is_plaintext sends text/plain only", async () => {
    const { parsed, text } = await composeAndParse({ body: "line one\nline <two>", is_plaintext: true });
    expect(parsed.html).toBe(false);
    expect(parsed.text?.trimEnd()).toBe("line one\nline <two>");
    expect(text).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(text).not.toContain("multipart");
  });

  test("a 1 MB binary attachment decodes to exactly the input bytes", async () => {
    const bytes = pseudoRandomBytes(1024 * 1024);
    const { parsed, text } = await composeAndParse({
      body: "<p>see attached</p>",
      attachments: [
        {
          filename: "blob.bin",
          content_type: "application/octet-stream",
          content: Buffer.from(bytes).toString("base64"),
        },
      ],
    });
    expect(text).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(parsed.attachments).toHaveLength(1);
    const att = parsed.attachments[0]!;
    expect(att.filename).toBe("blob.bin");
    expect(att.contentType).toBe("application/octet-stream");
    expect(att.contentDisposition).toBe("attachment");
    expect(att.content.length).toBe(bytes.length);
    expect(att.content.equals(Buffer.from(bytes))).toBe(true);
  });

  test("an inline image with a content_id sits in multipart/related and the HTML finds it by cid", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]);
    const { parsed, text } = await composeAndParse({
      body: '<p>Logo: <img src="cid:logo1"></p>',
      attachments: [
        {
          filename: "logo.png",
          content_type: "image/png",
          content: Buffer.from(png).toString("base64"),
          content_id: "logo1",
          content_disposition: "inline",
        },
        { filename: "notes.txt", content_type: "text/plain", content: "aGk=", content_id: "notes" },
        {
          filename: "doc.txt",
          content_type: "text/plain",
          content: "aGk=",
          content_id: "doc1",
          is_inline: false,
        },
      ],
    });
    expect(text).toMatch(/^Content-Type: multipart\/related; type="text\/html";/m);
    const logo = parsed.attachments.find((a) => a.filename === "logo.png")!;
    expect(logo.contentId).toBe("<logo1>");
    expect(logo.contentDisposition).toBe("inline");
    expect(logo.related).toBe(true);
    expect(logo.content.equals(Buffer.from(png))).toBe(true);
    expect(text).toContain('<img src="cid:logo1">');
    // mailparser swaps a cid: link for the part it resolves to, so this proves the reference works.
    expect(parsed.html).toContain(`src="data:image/png;base64,${Buffer.from(png).toString("base64")}"`);
    const doc = parsed.attachments.find((a) => a.filename === "doc.txt")!;
    expect(doc.contentId).toBe("<doc1>");
    expect(doc.contentDisposition).toBe("attachment");
    expect(doc.related).toBeFalsy();
  });

  test("custom headers appear verbatim (name casing kept, values encoded only when non-ASCII)", async () => {
    const { parsed, text } = await composeAndParse({
      custom_headers: [
        { name: "X-Campaign", value: "spring-2026" },
        { name: "X-GitHub-Event", value: "push" },
        { name: "List-Unsubscribe", value: "<https://x.com/u>" },
        { name: "X-Note", value: "naïve" },
      ],
    });
    expect(text).toMatch(/^X-Campaign: spring-2026$/m);
    expect(text).toMatch(/^X-GitHub-Event: push$/m);
    expect(text).toMatch(/^X-Note: =\?UTF-8\?Q\?na=C3=AFve\?=$/m);
    expect(text).toMatch(/^List-Unsubscribe: <https:\/\/x\.com\/u>$/m);
    expect(parsed.headers.get("x-campaign")).toBe("spring-2026");
  });

  test("metadata, tracking_options, signature_id and template do not change the message", async () => {
    const plain = await composeMime(send(BASE), CTX);
    const decorated = await composeMime(
      send({
        ...BASE,
        metadata: { k: "v" },
        tracking_options: { opens: true, links: true, thread_replies: true, label: "l" },
        signature_id: "sig",
        template: { id: "t" },
      }),
      CTX,
    );
    expect(Buffer.from(decorated.raw).equals(Buffer.from(plain.raw))).toBe(true);
  });

  test("output is 7-bit, CRLF-only, with folded headers and no line over 998 octets", async () => {
    const { composed, parsed } = await composeAndParse({
      subject: `${"word ".repeat(60)}end`,
      body: `<p>${"Grüße ".repeat(400)}</p><p>${"x".repeat(5000)}</p>`,
      custom_headers: [{ name: "X-Long", value: "v ".repeat(200) }],
    });
    const raw = Buffer.from(composed.raw);
    expect(raw.every((b) => b < 0x80)).toBe(true);
    const text = raw.toString("latin1");
    expect(/(?<!\r)\n/.test(text)).toBe(false);
    const lines = text.split("\r\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(headerBlock(composed.raw)).toMatch(/^Subject: .*\r\n .*/m);
    expect(parsed.subject).toBe(`${"word ".repeat(60)}end`);
    expect(parsed.html).toContain("x".repeat(5000));
  });

  test("a request built around the parser still cannot inject a header", async () => {
    const req: SendRequest = { ...send(BASE), subject: INJECTION };
    const { raw } = await composeMime(req, CTX);
    expect(latin1(raw)).not.toMatch(/^Bcc:/im);
  });

  test("same inputs, date and message id give identical bytes; another id, another boundary", async () => {
    const json = {
      ...BASE,
      subject: "same",
      body: '<p>x <img src="cid:c1"></p>',
      attachments: [
        { filename: "c.png", content_type: "image/png", content: "AQID", content_id: "c1" },
        { filename: "a.txt", content_type: "text/plain", content: "aGk=" },
      ],
    };
    const a = await composeMime(send(json), CTX);
    const b = await composeMime(send(json), CTX);
    expect(Buffer.from(a.raw).equals(Buffer.from(b.raw))).toBe(true);
    const c = await composeMime(send(json), { ...CTX, messageId: "fixed-2@mail.agents.test" });
    const boundary = (raw: Uint8Array) => /boundary="([^"]+)"/.exec(latin1(raw))?.[1];
    expect(boundary(c.raw)).toBeDefined();
    expect(boundary(c.raw)).not.toBe(boundary(a.raw));
  });
});

describe("envelopeRecipients and requestFingerprint", () => {
  test("envelope: to + cc + bcc, lower-cased, first occurrence kept", () => {
    const req = send({
      to: [{ email: "A@x.com" }, { email: "b@x.com" }],
      cc: [{ email: "a@X.com" }, { email: "c@x.com" }],
      bcc: [{ email: "B@x.com" }, { email: "d@x.com" }],
    });
    expect(envelopeRecipients(req)).toEqual(["a@x.com", "b@x.com", "c@x.com", "d@x.com"]);
  });

  test("fingerprint ignores key order and transport, and sees every field and byte", () => {
    const attachment = { filename: "a.txt", content_type: "text/plain", content: "aGk=" };
    const fp = requestFingerprint(
      send({ to: [{ email: "a@x.com" }], subject: "s", attachments: [attachment] }),
    );
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    const reordered = send({ attachments: [attachment], subject: "s", to: [{ email: "a@x.com" }] });
    expect(requestFingerprint(reordered)).toBe(fp);
    const multipart = send({ to: [{ email: "a@x.com" }], subject: "s" }, [
      { field: "file0", filename: "a.txt", contentType: "text/plain", bytes: Buffer.from("hi") },
    ]);
    expect(requestFingerprint(multipart)).toBe(fp);
    const otherBytes = send({
      to: [{ email: "a@x.com" }],
      subject: "s",
      attachments: [{ ...attachment, content: "aGo=" }],
    });
    expect(requestFingerprint(otherBytes)).not.toBe(fp);
    const otherSubject = send({ to: [{ email: "a@x.com" }], subject: "t", attachments: [attachment] });
    expect(requestFingerprint(otherSubject)).not.toBe(fp);
    const tracked = send({
      to: [{ email: "a@x.com" }],
      subject: "s",
      attachments: [attachment],
      tracking_options: { opens: true },
    });
    expect(requestFingerprint(tracked)).not.toBe(fp);
  });
});

describe("the official Nylas SDK's wire format", () => {
  /** Runs the real SDK against a local server and hands back the one request it made. */
  async function recordSdkSend(requestBody: Parameters<Nylas["messages"]["send"]>[0]["requestBody"]) {
    const seen: Request[] = [];
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        // Buffer the body now: it cannot be read once the server is stopped.
        const body = await req.arrayBuffer();
        seen.push(new Request(req.url, { method: req.method, headers: req.headers, body }));
        return Response.json(
          { request_id: "r1", grant_id: "g1", data: { object: "message", id: "m1" } },
          { headers: { "x-request-id": "r1" } },
        );
      },
    });
    try {
      const nylas = new Nylas({ apiKey: "key", apiUri: `http://127.0.0.1:${server.port}` });
      await nylas.messages.send({ identifier: "agent@agents.test", requestBody });
    } finally {
      server.stop(true);
    }
    expect(seen).toHaveLength(1);
    return seen[0]!;
  }

  test("messages.send JSON body parses and composes", async () => {
    const request = await recordSdkSend({
      to: [{ name: "A", email: "a@x.com" }],
      subject: "s",
      body: "<p>b</p>",
      attachments: [
        { filename: "a.txt", contentType: "text/plain", content: Buffer.from("hi").toString("base64") },
      ],
    });
    expect(new URL(request.url).pathname).toBe("/v3/grants/agent%40agents.test/messages/send");
    expect(request.headers.get("content-type")).toBe("application/json");
    const json = (await request.json()) as Json;
    expect(json).toEqual({
      to: [{ name: "A", email: "a@x.com" }],
      subject: "s",
      body: "<p>b</p>",
      attachments: [{ filename: "a.txt", content_type: "text/plain", content: "aGk=" }],
    });
    const req = parseSendRequest({ json }, SEND);
    expect(req.to).toEqual([{ name: "A", email: "a@x.com" }]);
    expect(req.attachments).toEqual([
      { filename: "a.txt", contentType: "text/plain", content: Buffer.from("hi"), disposition: "attachment" },
    ]);
    const parsed = await simpleParser(Buffer.from((await composeMime(req, CTX)).raw));
    expect(parsed.subject).toBe("s");
    expect(parsed.attachments[0]?.content.toString()).toBe("hi");
  });

  test("messages.send over 3 MB goes multipart: `message` JSON plus file parts", async () => {
    const big = pseudoRandomBytes(3 * 1024 * 1024);
    const logo = Uint8Array.from([1, 2, 3]);
    const request = await recordSdkSend({
      to: [{ email: "a@x.com" }],
      subject: "big",
      trackingOptions: { threadReplies: true },
      customHeaders: [{ name: "X-A", value: "1" }],
      attachments: [
        {
          filename: "big.bin",
          contentType: "application/octet-stream",
          content: Buffer.from(big),
          size: big.length,
        },
        {
          filename: "logo.png",
          contentType: "image/png",
          contentId: "logo1",
          content: Buffer.from(logo),
          size: 3,
        },
      ],
    });
    expect(request.headers.get("content-type")).toStartWith("multipart/form-data");
    const form = await request.formData();
    const message = form.get("message");
    expect(typeof message).toBe("string");
    const files: FilePart[] = [];
    for (const [field, value] of form.entries()) {
      if (field === "message" || typeof value === "string") continue;
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
    expect(files.map((f) => f.field)).toEqual(["file0", "logo1"]);
    const req = parseSendRequest({ json: JSON.parse(message as string), files }, SEND);
    expect(req.trackingOptions).toEqual({ threadReplies: true });
    expect(req.customHeaders).toEqual([{ name: "X-A", value: "1" }]);
    expect(req.attachments.map((a) => [a.filename, a.contentId, a.disposition])).toEqual([
      ["big.bin", undefined, "attachment"],
      ["logo.png", "logo1", "inline"],
    ]);
    expect(Buffer.from(req.attachments[0]!.content).equals(Buffer.from(big))).toBe(true);
  });
});
