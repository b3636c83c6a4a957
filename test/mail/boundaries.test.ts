import { describe, expect, test } from "bun:test";
import { splitParts } from "../../src/mail/boundaries.ts";

const parts = (body: string, boundary = "b", maxParts = 100) => {
  const buf = Buffer.from(body, "latin1");
  return splitParts(buf, 0, buf.length, boundary, maxParts).map(([s, e]) => body.slice(s, e));
};

describe("splitParts", () => {
  test("the line break before a delimiter belongs to the delimiter; preamble and epilogue are skipped", () => {
    expect(parts("pre\r\n--b\r\none\r\n--b\r\ntwo\r\n\r\n--b--\r\nepilogue")).toEqual(["one", "two\r\n"]);
  });

  test("LF-only line endings", () => {
    expect(parts("--b\none\n--b\ntwo\n--b--\n")).toEqual(["one", "two"]);
  });

  test("whitespace after a delimiter; anything after a close delimiter", () => {
    expect(parts("--b \t\r\none\r\n--b--junk\r\nepilogue")).toEqual(["one"]);
  });

  test("a delimiter must start a line and match the whole boundary", () => {
    expect(parts("--b\r\na --b\r\n--bc\r\n--b-x\r\n--b\rx\r\n--b--", "b")).toEqual([
      "a --b\r\n--bc\r\n--b-x\r\n--b\rx",
    ]);
  });

  test("a missing close delimiter lets the last part run to the end", () => {
    expect(parts("--b\r\none\r\n--b\r\ntwo\r\n")).toEqual(["one", "two\r\n"]);
  });

  test("adjacent delimiters give an empty part; no delimiter gives no part", () => {
    expect(parts("--b\r\n--b\r\nx\r\n--b--")).toEqual(["", "x"]);
    expect(parts("no delimiter here")).toEqual([]);
  });

  test("a delimiter at the very end without a line break", () => {
    expect(parts("--b\r\none\r\n--b")).toEqual(["one", ""]);
  });

  test("stops splitting at maxParts: the last part keeps the rest", () => {
    expect(parts("--b\r\n1\r\n--b\r\n2\r\n--b\r\n3\r\n--b--", "b", 2)).toEqual([
      "1",
      "2\r\n--b\r\n3\r\n--b--",
    ]);
  });

  test("boundaries with regex-special and 8-bit characters match literally", () => {
    expect(parts("--a.*(\xe9)\r\nx\r\n--a.*(\xe9)--", "a.*(\xe9)")).toEqual(["x"]);
  });
});
