import { describe, expect, test } from "bun:test";
import {
  binaryToText,
  decodeExtendedValue,
  decodeHeaderText,
  decodeParam,
} from "../../src/mail/header-decode.ts";

describe("header text decoding", () => {
  test("binaryToText: UTF-8 when valid, Latin-1 otherwise", () => {
    expect(binaryToText("Ren\xc3\xa9e")).toBe("Renée");
    expect(binaryToText("Caf\xe9")).toBe("Café");
    expect(binaryToText("plain")).toBe("plain");
  });

  test("decodeHeaderText: encoded-words in several charsets, raw 8-bit around them", () => {
    expect(decodeHeaderText("=?ISO-8859-1?Q?R=E9union_d'=E9quipe?=")).toBe("Réunion d'équipe");
    expect(decodeHeaderText("=?UTF-8?B?w4lsb2RpZSBNYXJ0aW4=?=")).toBe("Élodie Martin");
    expect(decodeHeaderText("=?UTF-8?B?5Lya6K2w44Gu6LOH5paZ?=")).toBe("会議の資料");
    expect(decodeHeaderText("Ren\xc3\xa9e =?UTF-8?Q?=E2=82=AC?=")).toBe("Renée €");
  });

  test("decodeExtendedValue: RFC 2231 charset'language'percent-encoding", () => {
    expect(decodeExtendedValue("UTF-8''%E2%82%AC%20rapport%20final.pdf")).toBe("€ rapport final.pdf");
    expect(decodeExtendedValue("iso-8859-1'fr'r%E9sum%E9.txt")).toBe("résumé.txt");
    expect(decodeExtendedValue("''plain%41")).toBe("plainA");
    expect(decodeExtendedValue("x-unknown''%C3%A9")).toBe("é");
  });

  test("decodeParam prefers name* over name", () => {
    expect(decodeParam({ "filename*": "utf-8''%C3%A9.txt", filename: "e.txt" }, "filename")).toBe("é.txt");
    expect(decodeParam({ name: "=?UTF-8?Q?=E2=82=AC.pdf?=" }, "name")).toBe("€.pdf");
    expect(decodeParam({}, "name")).toBeUndefined();
    expect(decodeParam(undefined, "name")).toBeUndefined();
  });
});
