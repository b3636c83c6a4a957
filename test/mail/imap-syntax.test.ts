import { describe, expect, test } from "bun:test";
import {
  canQuote,
  imapString,
  list,
  literal,
  nstring,
  nstringList,
  quoted,
} from "../../src/mail/imap-syntax.ts";

describe("IMAP strings", () => {
  test("quoted escapes only the quoted-specials", () => {
    expect(quoted('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(quoted("")).toBe('""');
  });

  test("literal counts bytes", () => {
    expect(literal("a\r\nb")).toBe("{4}\r\na\r\nb");
    expect(literal("caf\xe9")).toBe("{4}\r\ncaf\xe9");
  });

  test("text beyond Latin-1 is sent as UTF-8 bytes", () => {
    expect(literal("café €")).toBe("{9}\r\ncaf\xc3\xa9 \xe2\x82\xac");
    expect(imapString("€")).toBe("{3}\r\n\xe2\x82\xac");
  });

  test("imapString quotes what it can, literal for CR, LF, NUL and 8-bit", () => {
    expect(canQuote('a "b" \\ c\t~')).toBe(true);
    expect(imapString('a "b"')).toBe('"a \\"b\\""');
    expect(imapString("a\nb")).toBe("{3}\r\na\nb");
    expect(imapString("a\rb")).toBe("{3}\r\na\rb");
    expect(imapString("a\0b")).toBe("{3}\r\na\0b");
    expect(imapString("\x80")).toBe("{1}\r\n\x80");
  });

  test("nstring: NIL for null and undefined, never for the text NIL", () => {
    expect(nstring(null)).toBe("NIL");
    expect(nstring(undefined)).toBe("NIL");
    expect(nstring("NIL")).toBe('"NIL"');
    expect(nstring("")).toBe('""');
  });
});

describe("IMAP lists", () => {
  test("list joins encoded items", () => {
    expect(list(['"a"', "NIL", "(1 2)"])).toBe('("a" NIL (1 2))');
    expect(list([])).toBe("()");
  });

  test("nstringList: NIL when empty, strings otherwise", () => {
    expect(nstringList(null)).toBe("NIL");
    expect(nstringList([])).toBe("NIL");
    expect(nstringList(["en", "fr\xe9"])).toBe('("en" {3}\r\nfr\xe9)');
  });
});
