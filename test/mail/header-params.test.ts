import { describe, expect, test } from "bun:test";
import { parseParamHeader, trimWsp } from "../../src/mail/header-params.ts";

describe("parseParamHeader", () => {
  test("value and params; names lower-cased, values as written", () => {
    expect(parseParamHeader(' Text/Plain; CHARSET="UTF-8" ; Format=flowed')).toEqual({
      value: "Text/Plain",
      params: { charset: "UTF-8", format: "flowed" },
    });
  });

  test("quoted values keep semicolons and lose backslash escapes", () => {
    expect(parseParamHeader('attachment; filename="a; b \\"c\\".txt"; size=12').params).toEqual({
      filename: 'a; b "c".txt',
      size: "12",
    });
  });

  test("an unterminated quote runs to the end; segments without = are ignored", () => {
    expect(parseParamHeader('inline; junk; name="open').params).toEqual({ name: "open" });
  });

  test("the first of duplicate parameters wins", () => {
    expect(parseParamHeader("text/plain; charset=utf-8; charset=latin1").params).toEqual({
      charset: "utf-8",
    });
  });

  test("RFC 2231 continuations are joined in section order", () => {
    const { params } = parseParamHeader(
      'message/external-body; URL*1="/b/c.txt"; access-type=URL; URL*0="ftp://a"',
    );
    expect(params).toEqual({ url: "ftp://a/b/c.txt", "access-type": "URL" });
    expect(Object.keys(params)).toEqual(["url", "access-type"]);
  });

  test("encoded continuations stay encoded under name*, plain sections percent-escaped", () => {
    const { params } = parseParamHeader(
      "attachment; filename*0*=UTF-8''%E2%82%AC; filename*1=100%; filename*2*=.pdf",
    );
    expect(params).toEqual({ "filename*": "UTF-8''%E2%82%AC100%25.pdf" });
  });

  test("a single extended value is kept under name*, next to a plain fallback", () => {
    const { params } = parseParamHeader(
      "attachment; filename*=iso-8859-1'fr'r%E9sum%E9.txt; filename=resume.txt",
    );
    expect(params).toEqual({ "filename*": "iso-8859-1'fr'r%E9sum%E9.txt", filename: "resume.txt" });
  });

  test("8-bit bytes survive as binary-string chars", () => {
    expect(parseParamHeader('inline; filename="caf\xe9\xa0.txt"').params.filename).toBe("caf\xe9\xa0.txt");
  });
});

test("trimWsp keeps byte 0xA0, which String.trim would drop", () => {
  expect(trimWsp(" \t\xa0x\xa0\r\n")).toBe("\xa0x\xa0");
});
