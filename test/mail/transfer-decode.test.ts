import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeBase64, decodeQuotedPrintable, decodeTransfer } from "../../src/mail/transfer-decode.ts";

const b = (s: string) => Buffer.from(s, "latin1");
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const str = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("decodeBase64", () => {
  test("standard input with line breaks", () => {
    expect(str(decodeBase64(b("SGVsbG8s\r\nIHdvcmxk\r\nIQ==")))).toBe("Hello, world!");
  });

  test("bytes outside the alphabet are skipped", () => {
    expect(hex(decodeBase64(b("AA EC*Aw\tQF!")))).toBe("000102030405");
  });

  test("padding ends a quantum, so concatenated chunks decode", () => {
    expect(str(decodeBase64(b("QQ==QkM=RA")))).toBe("ABCD");
  });

  test("missing padding, and a lone trailing sextet carries no byte", () => {
    expect(str(decodeBase64(b("QUJDRA")))).toBe("ABCD");
    expect(str(decodeBase64(b("QUJDR")))).toBe("ABC");
    expect(decodeBase64(b("")).length).toBe(0);
    expect(decodeBase64(b("====")).length).toBe(0);
  });

  test("round-trips any bytes through Node's encoder with any line length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.integer({ min: 1, max: 100 }), (bytes, width) => {
        const encoded = (
          Buffer.from(bytes)
            .toString("base64")
            .match(new RegExp(`.{1,${width}}`, "g")) ?? []
        ).join("\r\n");
        expect(hex(decodeBase64(b(encoded)))).toBe(hex(bytes));
      }),
    );
  });
});

describe("decodeQuotedPrintable", () => {
  test("=XX in either case, soft line breaks with CRLF or LF", () => {
    expect(str(decodeQuotedPrintable(b("caf=E9 =e9t=\r\n=E9 ok=\nay")))).toBe("caf\xe9 \xe9t\xe9 okay");
  });

  test("transport padding after a soft break and trailing whitespace on lines are removed", () => {
    expect(str(decodeQuotedPrintable(b("a=  \r\nb  \r\nc \t\nd=20\r\ne  ")))).toBe("ab\r\nc\nd \r\ne");
  });

  test("hard line breaks are kept as stored", () => {
    expect(str(decodeQuotedPrintable(b("one\r\ntwo\nthree")))).toBe("one\r\ntwo\nthree");
  });

  test("malformed = sequences are kept literally", () => {
    expect(str(decodeQuotedPrintable(b("a=ZZb=4 c=")))).toBe("a=ZZb=4 c");
    expect(str(decodeQuotedPrintable(b("100% = 1")))).toBe("100% = 1");
  });

  test("round-trips any bytes encoded as =XX with soft breaks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = Array.from(bytes, (byte) => `=${byte.toString(16).toUpperCase().padStart(2, "0")}`)
          .join("")
          .replace(/(.{72})/g, "$1=\r\n");
        expect(hex(decodeQuotedPrintable(b(encoded)))).toBe(hex(bytes));
      }),
    );
  });
});

test("decodeTransfer: identity for 7bit, 8bit, binary and unknown encodings", () => {
  const bytes = b("raw \xff\r\n=41");
  for (const encoding of ["7bit", "8bit", "binary", "x-uuencode"])
    expect(decodeTransfer(bytes, encoding)).toBe(bytes);
  expect(str(decodeTransfer(bytes, "quoted-printable"))).toBe("raw \xff\r\nA");
  expect(str(decodeTransfer(b("QQ=="), "base64"))).toBe("A");
});
