import { describe, expect, test } from "bun:test";
import { findField, headerValue, readHeaderBlock } from "../../src/mail/header-block.ts";

const bytes = (s: string) => Buffer.from(s, "latin1");

describe("readHeaderBlock", () => {
  test("fields with offsets covering continuation lines; header ends after the empty line", () => {
    const raw = bytes("Subject: a\r\n long\r\n\tsubject\r\nTo: b@c\r\n\r\nbody");
    const { fields, headerEnd } = readHeaderBlock(raw, 0, raw.length);
    expect(fields).toEqual([
      { name: "Subject", value: "a long\tsubject", start: 0, end: 29 },
      { name: "To", value: "b@c", start: 29, end: 38 },
    ]);
    expect(headerEnd).toBe(40);
    expect(raw.toString("latin1", headerEnd)).toBe("body");
  });

  test("LF-only and mixed line endings", () => {
    const raw = bytes("A: 1\nB: 2\r\n\nbody");
    const { fields, headerEnd } = readHeaderBlock(raw, 0, raw.length);
    expect(fields.map((f) => [f.name, f.value])).toEqual([
      ["A", "1"],
      ["B", "2"],
    ]);
    expect(headerEnd).toBe(12);
  });

  test("no empty line: the whole entity is header", () => {
    const raw = bytes("A: 1\r\nB: 2");
    expect(readHeaderBlock(raw, 0, raw.length)).toEqual({
      fields: [
        { name: "A", value: "1", start: 0, end: 6 },
        { name: "B", value: "2", start: 6, end: 10 },
      ],
      headerEnd: 10,
    });
  });

  test("an entity starting with an empty line has an empty header", () => {
    const raw = bytes("\r\nA: not a header");
    expect(readHeaderBlock(raw, 0, raw.length)).toEqual({ fields: [], headerEnd: 2 });
  });

  test("lines that are not fields are kept with an empty name", () => {
    const raw = bytes(" leading\r\nFrom user Mon: x\r\nSubject : ok\r\n\r\n");
    const { fields } = readHeaderBlock(raw, 0, raw.length);
    expect(fields.map((f) => [f.name, f.value])).toEqual([
      ["", "leading"],
      ["", "From user Mon: x"],
      ["Subject", "ok"],
    ]);
  });

  test("stays inside [start, end) and keeps 8-bit bytes", () => {
    const raw = bytes("xxSubject: caf\xe9\xa0\r\n\r\nbody\r\nNext: no");
    const cut = readHeaderBlock(raw, 2, 18);
    expect(cut).toEqual({
      fields: [{ name: "Subject", value: "caf\xe9\xa0", start: 2, end: 18 }],
      headerEnd: 18,
    });
    expect(readHeaderBlock(raw, 2, raw.length).headerEnd).toBe(20);
  });
});

test("findField and headerValue match names case-insensitively, first occurrence", () => {
  const raw = bytes("X-A: 1\r\nx-a: 2\r\n\r\n");
  const { fields } = readHeaderBlock(raw, 0, raw.length);
  expect(findField(fields, "X-a")?.value).toBe("1");
  expect(headerValue(fields, "x-A")).toBe("1");
  expect(headerValue(fields, "x-b")).toBeUndefined();
});
