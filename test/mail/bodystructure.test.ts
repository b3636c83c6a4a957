/**
 * Expected strings were worked out by hand from the fixtures (sizes count the stored, still
 * encoded body; the line break before a delimiter is not part of the body) and follow
 * Dovecot's conventions: lower-case names, charset us-ascii added to text parts without one.
 */
import { describe, expect, test } from "bun:test";
import { buildBodyStructure, encodeBodyStructure } from "../../src/mail/bodystructure.ts";
import { parseMimeTree } from "../../src/mail/mime-tree.ts";
import { loadEml } from "./eml.ts";

const structureOf = (raw: Uint8Array, extended = true) =>
  encodeBodyStructure(buildBodyStructure(parseMimeTree(raw)), extended);
const ofFixture = (name: string, extended = true) => structureOf(loadEml(name), extended);
const ofText = (s: string, extended = true) =>
  structureOf(Buffer.from(s.replace(/\n/g, "\r\n"), "latin1"), extended);

describe("BODYSTRUCTURE of the fixtures", () => {
  test("plain text: 89 octets, 5 lines", () => {
    expect(ofFixture("01-plain-text.eml")).toBe(
      '("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "8bit" 89 5 NIL NIL NIL NIL)',
    );
    expect(ofFixture("01-plain-text.eml", false)).toBe(
      '("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "8bit" 89 5)',
    );
  });

  test("multipart/alternative with quoted-printable parts", () => {
    expect(ofFixture("02-alternative.eml")).toBe(
      '(("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 106 2 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "utf-8") NIL NIL "quoted-printable" 99 2 NIL NIL NIL NIL) ' +
        '"alternative" ("boundary" "alt-1042") NIL NIL NIL)',
    );
  });

  test("mixed > related > alternative, inline image with Content-ID, PDF attachment", () => {
    expect(ofFixture("03-mixed-related-pdf.eml")).toBe(
      '(((("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 41 1 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 59 1 NIL NIL NIL NIL) ' +
        '"alternative" ("boundary" "alt-q1") NIL NIL NIL)' +
        '("image" "png" ("name" "chart.png") "<chart@q1>" NIL "base64" 94 NIL ("inline" ("filename" "chart.png")) NIL NIL) ' +
        '"related" ("boundary" "rel-q1" "type" "multipart/alternative") NIL NIL NIL)' +
        '("application" "pdf" ("name" "Q1 report.pdf") NIL NIL "base64" 380 NIL ' +
        '("attachment" ("filename" "Q1 report.pdf")) NIL NIL) "mixed" ("boundary" "mixed-q1") NIL NIL NIL)',
    );
    expect(ofFixture("03-mixed-related-pdf.eml", false)).toBe(
      '(((("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 41 1)' +
        '("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 59 1) "alternative")' +
        '("image" "png" ("name" "chart.png") "<chart@q1>" NIL "base64" 94) "related")' +
        '("application" "pdf" ("name" "Q1 report.pdf") NIL NIL "base64" 380) "mixed")',
    );
  });

  test("text attachment with description and language", () => {
    expect(ofFixture("04-nested-alternative-attachment.eml")).toBe(
      '((("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 24 2 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "utf-8") NIL NIL "7bit" 49 1 NIL NIL NIL NIL) "alternative" ("boundary" "==inner==") NIL NIL NIL)' +
        '("text" "csv" ("charset" "utf-8" "name" "metrics.csv") NIL "Raw numbers" "7bit" 30 2 NIL ' +
        '("attachment" ("filename" "metrics.csv")) ("en") NIL) "mixed" ("boundary" "==outer==") NIL NIL NIL)',
    );
  });

  test("forwarded message/rfc822: envelope, inner structure, 424 octets, 19 lines", () => {
    const inner =
      '("Tue, 4 Mar 2025 14:02:11 +0100" "Your order #1042 has shipped" (("Shop, Inc." NIL "orders" "shop.example")) ' +
      '(("Shop, Inc." NIL "orders" "shop.example")) (("Shop, Inc." NIL "orders" "shop.example")) ' +
      '((NIL NIL "bob" "agentbox.test")) NIL NIL NIL "<order-1042@shop.example>")';
    expect(ofFixture("05-forwarded.eml")).toBe(
      `(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 424 ${inner} ` +
        '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 1 NIL NIL NIL NIL)' +
        '("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 17 1 NIL NIL NIL NIL) "alternative" ("boundary" "inner-alt") NIL NIL NIL) ' +
        '19 NIL ("attachment" ("filename" "order.eml")) NIL NIL) "mixed" ("boundary" "fwd-outer") NIL NIL NIL)',
    );
    expect(ofFixture("05-forwarded.eml", false)).toBe(
      `(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 1)("message" "rfc822" NIL NIL NIL "7bit" 424 ${inner} ` +
        '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 1)("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 17 1) ' +
        '"alternative") 19) "mixed")',
    );
  });

  test("RFC 2231 parameters are shown joined but still encoded, as Dovecot does", () => {
    expect(ofFixture("09-rfc2231-filename.eml")).toBe(
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 25 1 NIL NIL NIL NIL)' +
        '("application" "pdf" ("name" "=?UTF-8?Q?=E2=82=AC_rapport_final.pdf?=") NIL NIL "base64" 380 NIL ' +
        `("attachment" ("filename*" "UTF-8''%E2%82%AC%20rapport%20final.pdf")) NIL NIL)` +
        '("text" "plain" ("charset" "iso-8859-1") NIL NIL "8bit" 21 1 NIL ' +
        `("attachment" ("filename*" "iso-8859-1'fr'r%E9sum%E9.txt")) NIL NIL) "mixed" ("boundary" "docs") NIL NIL NIL)`,
    );
  });

  test("LF-only message: sizes are the stored octets", () => {
    expect(ofFixture("10-lf-only.eml", false)).toBe(
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 38 2)("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 24 1) "alternative")',
    );
  });

  test("malformed: headerless part defaults, broken base64 sized as stored, unclosed last part", () => {
    expect(ofFixture("11-malformed.eml", false)).toBe(
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 23 1)' +
        '("application" "octet-stream" ("name" "data.bin") NIL NIL "base64" 22)' +
        '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 31 1) "mixed")',
    );
  });

  test("no body", () => {
    expect(ofFixture("12-no-body.eml")).toBe(
      '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)',
    );
  });

  test("digest parts are message/rfc822 by default", () => {
    expect(ofFixture("13-digest.eml", false)).toBe(
      '(("message" "rfc822" NIL NIL NIL "7bit" 59 (NIL "First post" ((NIL NIL "a" "lists.example")) ' +
        '((NIL NIL "a" "lists.example")) ((NIL NIL "a" "lists.example")) NIL NIL NIL NIL NIL) ' +
        '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 13 1) 4)' +
        '("message" "rfc822" NIL NIL NIL "7bit" 55 (NIL "Re: First post" ((NIL NIL "b" "lists.example")) ' +
        '((NIL NIL "b" "lists.example")) ((NIL NIL "b" "lists.example")) NIL NIL NIL NIL NIL) ' +
        '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 5 1) 4) "digest")',
    );
  });
});

describe("BODYSTRUCTURE edge cases (Dovecot's conventions)", () => {
  test("charset us-ascii is appended to a text part's parameters when missing", () => {
    expect(ofText("Content-Type: text/plain; format=flowed\n\nx\n", false)).toBe(
      '("text" "plain" ("format" "flowed" "charset" "us-ascii") NIL NIL "7bit" 3 1)',
    );
  });

  test("non-text parts without parameters have NIL", () => {
    expect(ofText("Content-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lG\n", false)).toBe(
      '("image" "gif" NIL NIL NIL "base64" 6)',
    );
  });

  test("a multipart without parts shows one empty text/plain part", () => {
    expect(ofText('Content-Type: multipart/mixed; boundary="foo"\n\n')).toBe(
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "foo") NIL NIL NIL)',
    );
  });

  test("quoted-specials in values are escaped, 8-bit values sent as literals", () => {
    expect(
      ofText(
        'Content-Type: application/x-a; a="q\\"s"; b="caf\xe9"\nContent-Description: d\xe9j\xe0\n\n',
        false,
      ),
    ).toBe('("application" "x-a" ("a" "q\\"s" "b" {4}\r\ncaf\xe9) NIL {4}\r\nd\xe9j\xe0 "7bit" 0)');
  });

  test("message/rfc822 past the nesting limit shows an empty message", () => {
    const raw = Buffer.from("Content-Type: message/rfc822\r\n\r\n".repeat(102), "latin1");
    let bs = buildBodyStructure(parseMimeTree(raw));
    let depth = 0;
    while (!("parts" in bs) && bs.body?.type === "message") {
      bs = bs.body;
      depth++;
    }
    expect(depth).toBe(100);
    const deepest = encodeBodyStructure(bs, false);
    expect(deepest).toBe(
      '("message" "rfc822" NIL NIL NIL "7bit" 32 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ' +
        '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) 2)',
    );
  });
});

test("the JSON form", () => {
  const bs = buildBodyStructure(parseMimeTree(loadEml("03-mixed-related-pdf.eml")));
  expect(bs).toMatchObject({ type: "multipart", subtype: "mixed", params: [["boundary", "mixed-q1"]] });
  expect("parts" in bs && bs.parts[1]).toEqual({
    type: "application",
    subtype: "pdf",
    params: [["name", "Q1 report.pdf"]],
    id: null,
    description: null,
    encoding: "base64",
    size: 380,
    md5: null,
    disposition: { type: "attachment", params: [["filename", "Q1 report.pdf"]] },
    language: null,
    location: null,
  });
  expect(JSON.parse(JSON.stringify(bs))).toEqual(bs);
});
