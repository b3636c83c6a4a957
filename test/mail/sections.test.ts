import { describe, expect, test } from "bun:test";
import { parseMimeTree } from "../../src/mail/mime-tree.ts";
import { fetchSection, parseSectionSpec, partial } from "../../src/mail/sections.ts";
import { loadEml } from "./eml.ts";

function fetcher(raw: Buffer) {
  const tree = parseMimeTree(raw);
  return (spec: string) => {
    const bytes = fetchSection(raw, tree, spec);
    return bytes === null ? null : Buffer.from(bytes).toString("latin1");
  };
}

describe("parseSectionSpec", () => {
  test("part numbers and section texts, case-insensitive", () => {
    expect(parseSectionSpec("")).toEqual({ part: "", text: "", fields: [] });
    expect(parseSectionSpec("header")).toEqual({ part: "", text: "HEADER", fields: [] });
    expect(parseSectionSpec("1.2")).toEqual({ part: "1.2", text: "", fields: [] });
    expect(parseSectionSpec("1.MIME")).toEqual({ part: "1", text: "MIME", fields: [] });
    expect(parseSectionSpec("2.text")).toEqual({ part: "2", text: "TEXT", fields: [] });
  });

  test("header field lists with atoms and quoted names", () => {
    expect(parseSectionSpec('HEADER.FIELDS (From "Subject" x-Custom)')).toEqual({
      part: "",
      text: "HEADER.FIELDS",
      fields: ["FROM", "SUBJECT", "X-CUSTOM"],
    });
    expect(parseSectionSpec("3.header.fields.not (To)")).toEqual({
      part: "3",
      text: "HEADER.FIELDS.NOT",
      fields: ["TO"],
    });
  });

  test("invalid specs", () => {
    for (const bad of [
      "MIME",
      "0",
      "1.",
      "1.0",
      "1.BODY",
      "HEADER.FIELDS",
      "HEADER.FIELDS ()",
      "TEXT.1",
      "1 .TEXT",
    ]) {
      expect(parseSectionSpec(bad)).toBeNull();
    }
  });
});

describe("fetchSection on a non-multipart message", () => {
  const raw = loadEml("01-plain-text.eml");
  const fetch = fetcher(raw);
  const split = raw.indexOf("\r\n\r\n") + 4;
  const [header, body] = [raw.toString("latin1", 0, split), raw.toString("latin1", split)];

  test("BODY[] is the message, HEADER includes the empty line, TEXT and part 1 are the body", () => {
    expect(header).toEndWith("8bit\r\n\r\n");
    expect(body).toStartWith("Hi Bob,");
    expect(fetch("")).toBe(raw.toString("latin1"));
    expect(fetch("HEADER")).toBe(header);
    expect(fetch("TEXT")).toBe(body);
    expect(fetch("1")).toBe(body);
    expect(fetch("1.MIME")).toBe(header);
    expect(fetch("2")).toBeNull();
    expect(fetch("1.HEADER")).toBeNull();
  });

  test("HEADER.FIELDS keeps fields in original form (folding included) and the empty line", () => {
    expect(fetch("HEADER.FIELDS (Subject Received)")).toBe(
      "Received: from mail.example.com (mail.example.com [192.0.2.10])\r\n" +
        "\tby mx.agentbox.test with ESMTPS id 4Xyz\r\n" +
        "\tfor <bob@agentbox.test>; Mon, 3 Mar 2025 09:15:02 +0000\r\n" +
        "Subject: Lunch on Thursday?\r\n\r\n",
    );
    expect(fetch("HEADER.FIELDS (X-Missing)")).toBe("\r\n");
  });

  test("HEADER.FIELDS.NOT", () => {
    expect(
      fetch("HEADER.FIELDS.NOT (Received Return-Path Content-Type Content-Transfer-Encoding MIME-Version)"),
    ).toBe(
      "Date: Mon, 3 Mar 2025 09:15:00 +0000\r\nFrom: Alice Example <alice@example.com>\r\n" +
        "To: Bob <bob@agentbox.test>\r\nSubject: Lunch on Thursday?\r\nMessage-ID: <lunch-1@example.com>\r\n\r\n",
    );
  });
});

describe("fetchSection on multiparts", () => {
  const fetch = fetcher(loadEml("03-mixed-related-pdf.eml"));

  test("leaf parts are their bodies, MIME their headers", () => {
    expect(fetch("1.1.1")).toBe("The Q1 report is attached. Chart below.\r\n");
    expect(fetch("1.1.1.MIME")).toBe("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
    expect(fetch("1.2.MIME")).toBe(
      'Content-Type: image/png; name="chart.png"\r\nContent-Transfer-Encoding: base64\r\n' +
        'Content-ID: <chart@q1>\r\nContent-Disposition: inline; filename="chart.png"\r\n\r\n',
    );
    expect(fetch("1.2")?.replace(/\r\n/g, "")).toBe(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAACklEQVR4nGNgAAAAAgAB4iG8MwAAAABJRU5ErkJggg==",
    );
  });

  test("a multipart part is its whole body, delimiters included", () => {
    expect(fetch("1.1")).toBe(
      "--alt-q1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe Q1 report is attached. Chart below.\r\n\r\n" +
        '--alt-q1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>The Q1 report is attached.</p><img src="cid:chart@q1">\r\n\r\n' +
        "--alt-q1--\r\n",
    );
  });

  test("TEXT of the message is everything after its header, preamble included", () => {
    expect(fetch("TEXT")).toStartWith("This is a multi-part message in MIME format.\r\n\r\n--mixed-q1\r\n");
    expect(fetch("TEXT")).toEndWith("--mixed-q1--\r\n");
  });

  test("HEADER and TEXT of a non-message part do not exist; nor do missing parts", () => {
    expect(fetch("1.HEADER")).toBeNull();
    expect(fetch("2.TEXT")).toBeNull();
    expect(fetch("3")).toBeNull();
    expect(fetch("1.3.MIME")).toBeNull();
    expect(fetch("bogus")).toBeNull();
  });
});

describe("fetchSection on message/rfc822", () => {
  const fetch = fetcher(loadEml("05-forwarded.eml"));

  test("the part is the whole encapsulated message; HEADER, TEXT and sub-parts are inside it", () => {
    expect(fetch("2")).toStartWith("Date: Tue, 4 Mar 2025 14:02:11 +0100\r\n");
    expect(fetch("2")).toEndWith("--inner-alt--\r\n");
    expect(fetch("2")?.length).toBe(424);
    expect(fetch("2.MIME")).toBe(
      'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="order.eml"\r\n\r\n',
    );
    expect(fetch("2.HEADER")).toStartWith("Date: Tue, 4 Mar 2025 14:02:11 +0100\r\n");
    expect(fetch("2.HEADER")).toEndWith('boundary="inner-alt"\r\n\r\n');
    expect(fetch("2.TEXT")).toStartWith("--inner-alt\r\n");
    expect(fetch("2.1")).toBe("Shipped.\r\n");
    expect(fetch("2.2.MIME")).toBe("Content-Type: text/html; charset=us-ascii\r\n\r\n");
    expect(fetch("2.HEADER.FIELDS (subject)")).toBe("Subject: Your order #1042 has shipped\r\n\r\n");
  });
});

describe("fetchSection edge cases", () => {
  test("a message without body or empty line: HEADER.FIELDS still ends with one (as Dovecot answers)", () => {
    const fetch = fetcher(loadEml("12-no-body.eml"));
    expect(fetch("TEXT")).toBe("");
    expect(fetch("1")).toBe("");
    expect(fetch("HEADER")).toBe(loadEml("12-no-body.eml").toString("latin1"));
    expect(fetch("HEADER.FIELDS (Subject)")).toBe("Subject: (no body)\r\n\r\n");
  });

  test("LF-only messages are served as stored", () => {
    const fetch = fetcher(loadEml("10-lf-only.eml"));
    expect(fetch("HEADER.FIELDS (Subject)")).toBe("Subject: Nightly build passed\n\n");
    expect(fetch("1")).toBe("Build 88 passed.\nAll 412 tests green.\n");
  });

  test("raw 8-bit bytes come back unchanged", () => {
    const fetch = fetcher(loadEml("11-malformed.eml"));
    expect(fetch("HEADER.FIELDS (Subject From)")).toBe(
      'From: Ren\xc3\xa9e Dupont <renee@example.com>\r\nSubject: Caf\xe9 "menu" for today\r\n\r\n',
    );
  });

  test("accepts a parsed spec", () => {
    const raw = loadEml("01-plain-text.eml");
    const bytes = fetchSection(raw, parseMimeTree(raw), { part: "", text: "HEADER.FIELDS", fields: ["TO"] });
    expect(Buffer.from(bytes ?? []).toString()).toBe("To: Bob <bob@agentbox.test>\r\n\r\n");
  });
});

describe("partial", () => {
  const bytes = Buffer.from("0123456789");
  const text = (b: Uint8Array) => Buffer.from(b).toString();

  test("<start.length>, clamped", () => {
    expect(text(partial(bytes, 2, 3))).toBe("234");
    expect(text(partial(bytes, 8, 100))).toBe("89");
    expect(text(partial(bytes, 10, 5))).toBe("");
    expect(text(partial(bytes, 50, 5))).toBe("");
    expect(text(partial(bytes, 4))).toBe("456789");
    expect(text(partial(bytes, 0, 0))).toBe("");
  });
});
