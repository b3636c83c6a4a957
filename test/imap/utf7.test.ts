import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodeMailboxName, encodeMailboxName } from "../../protocols/imap/utf7.ts";

describe("modified UTF-7 mailbox names", () => {
  test("RFC 3501 examples", () => {
    expect(encodeMailboxName("~peter/mail/台北/日本語")).toBe("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    expect(decodeMailboxName("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).toBe("~peter/mail/台北/日本語");
    expect(encodeMailboxName("A&B")).toBe("A&-B");
    expect(decodeMailboxName("A&-B")).toBe("A&B");
    expect(encodeMailboxName("Entwürfe")).toBe("Entw&APw-rfe");
  });

  test("invalid input decodes to null", () => {
    for (const bad of ["&Jjo", "&Jjo!-", "&AGE-", "&U,BTF2XlZyyKng-x&"])
      expect(decodeMailboxName(bad), bad).toBeNull();
  });

  test("UTF-16 surrogates only in pairs: a lone one is not a character", () => {
    expect(decodeMailboxName("&2D3eAA-")).toBe("\u{1F600}");
    for (const lone of ["&2AA-", "&3AA-", "&2ADYAA-", "a&2D0-b", "&AOnYPQ-"])
      expect(decodeMailboxName(lone), lone).toBeNull();
  });

  test("round trip for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(decodeMailboxName(encodeMailboxName(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});
