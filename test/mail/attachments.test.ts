import { describe, expect, test } from "bun:test";
import iconv from "iconv-lite";
import { decodePart, listAttachments } from "../../src/mail/attachments.ts";
import { parseMimeTree } from "../../src/mail/mime-tree.ts";
import { findPart } from "../../src/mail/parts.ts";
import { CALENDAR_TEXT, loadEml, pdfBytes, pngBytes, SHIFT_JIS_TEXT } from "./eml.ts";

const attachmentsOf = (name: string) => {
  const raw = loadEml(name);
  return listAttachments(raw, parseMimeTree(raw));
};

function partBytes(name: string, part: string): Buffer {
  const raw = loadEml(name);
  const node = findPart(parseMimeTree(raw), part);
  if (!node) throw new Error(`no part ${part} in ${name}`);
  return Buffer.from(decodePart(raw, node));
}

describe("listAttachments", () => {
  test("messages with only body parts have none", () => {
    for (const name of [
      "01-plain-text.eml",
      "02-alternative.eml",
      "07-latin1-qp.eml",
      "08-shift-jis-base64.eml",
    ]) {
      expect(attachmentsOf(name)).toEqual([]);
    }
  });

  test("an inline image with Content-ID and a PDF attachment", () => {
    expect(attachmentsOf("03-mixed-related-pdf.eml")).toEqual([
      {
        partPath: "1.2",
        filename: "chart.png",
        contentType: 'image/png; name="chart.png"',
        size: 67,
        contentId: "chart@q1",
        disposition: "inline",
        isInline: true,
      },
      {
        partPath: "2",
        filename: "Q1 report.pdf",
        contentType: 'application/pdf; name="Q1 report.pdf"',
        size: 278,
        contentId: null,
        disposition: "attachment",
        isInline: false,
      },
    ]);
  });

  test("a named text part is an attachment; the calendar alternative is body, the .ics file is not", () => {
    expect(
      attachmentsOf("04-nested-alternative-attachment.eml").map((a) => [a.partPath, a.filename, a.size]),
    ).toEqual([["2", "metrics.csv", 30]]);
    expect(attachmentsOf("06-calendar-invite.eml")).toEqual([
      {
        partPath: "2",
        filename: "invite.ics",
        contentType: 'application/ics; name="invite.ics"',
        size: Buffer.byteLength(CALENDAR_TEXT),
        contentId: null,
        disposition: "attachment",
        isInline: false,
      },
    ]);
  });

  test("a forwarded message is one attachment; its own parts are not listed", () => {
    expect(attachmentsOf("05-forwarded.eml")).toEqual([
      {
        partPath: "2",
        filename: "order.eml",
        contentType: "message/rfc822",
        size: 424,
        contentId: null,
        disposition: "attachment",
        isInline: false,
      },
    ]);
  });

  test("RFC 2231 and encoded-word file names are decoded", () => {
    expect(
      attachmentsOf("09-rfc2231-filename.eml").map((a) => [a.partPath, a.filename, a.contentType, a.size]),
    ).toEqual([
      ["2", "€ rapport final.pdf", 'application/pdf; name="=?UTF-8?Q?=E2=82=AC_rapport_final.pdf?="', 278],
      ["3", "résumé.txt", "text/plain; charset=iso-8859-1", 21],
    ]);
  });

  test("non-text parts without a name are attachments: broken base64, digest messages", () => {
    expect(
      attachmentsOf("11-malformed.eml").map((a) => [a.partPath, a.filename, a.size, a.disposition]),
    ).toEqual([["2", "data.bin", 8, null]]);
    expect(attachmentsOf("13-digest.eml").map((a) => [a.partPath, a.filename, a.contentType])).toEqual([
      ["1", null, "message/rfc822"],
      ["2", null, "message/rfc822"],
    ]);
  });

  test("a message that is a single non-text part is itself attachment 1", () => {
    const raw = Buffer.from(
      "Content-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <z@x>\r\n\r\nUEsDBA==\r\n",
    );
    expect(listAttachments(raw, parseMimeTree(raw))).toEqual([
      {
        partPath: "1",
        filename: null,
        contentType: "application/zip",
        size: 4,
        contentId: "z@x",
        disposition: null,
        isInline: true,
      },
    ]);
  });
});

describe("decodePart", () => {
  test("base64 attachments decode to the exact original bytes", () => {
    expect(partBytes("03-mixed-related-pdf.eml", "2").equals(pdfBytes())).toBe(true);
    expect(partBytes("03-mixed-related-pdf.eml", "1.2").equals(pngBytes())).toBe(true);
    expect(partBytes("09-rfc2231-filename.eml", "2").equals(pdfBytes())).toBe(true);
    expect(partBytes("06-calendar-invite.eml", "2").toString()).toBe(CALENDAR_TEXT);
  });

  test("7bit parts are their stored bytes", () => {
    expect(partBytes("06-calendar-invite.eml", "1.3").toString()).toBe(CALENDAR_TEXT);
  });

  test("base64 Shift_JIS text", () => {
    const bytes = partBytes("08-shift-jis-base64.eml", "1");
    expect(bytes.equals(iconv.encode(SHIFT_JIS_TEXT, "Shift_JIS"))).toBe(true);
    expect(iconv.decode(bytes, "Shift_JIS")).toBe(SHIFT_JIS_TEXT);
  });

  test("quoted-printable ISO-8859-1 and UTF-8 text", () => {
    expect(iconv.decode(partBytes("07-latin1-qp.eml", "1"), "ISO-8859-1")).toBe(
      "Bonjour André,\r\n\r\nLa réunion d'équipe est déplacée à jeudi. Merci de confirmer votre présence.   \r\n" +
        "À bientôt,\r\nÉlodie\r\n",
    );
    expect(partBytes("02-alternative.eml", "2").toString()).toBe(
      "<html><body><p>Your order #1042 has shipped — it will arrive Friday.</p></body></html>\r\n",
    );
  });

  test("8bit parts keep their raw bytes; broken base64 decodes what is there", () => {
    expect(partBytes("09-rfc2231-filename.eml", "3").toString("latin1")).toBe(
      "R\xe9sum\xe9 en fran\xe7ais.\r\n",
    );
    expect(partBytes("11-malformed.eml", "2").toString("hex")).toBe("0001020304050607");
  });
});
