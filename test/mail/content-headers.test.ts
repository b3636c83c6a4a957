import { describe, expect, test } from "bun:test";
import { readContentHeaders } from "../../src/mail/content-headers.ts";
import type { HeaderField } from "../../src/mail/header-block.ts";

const fields = (pairs: Record<string, string>): HeaderField[] =>
  Object.entries(pairs).map(([name, value]) => ({ name, value, start: 0, end: 0 }));

describe("readContentHeaders", () => {
  test("defaults: text/plain us-ascii 7bit, or message/rfc822 inside a digest", () => {
    expect(readContentHeaders([], false)).toEqual({
      contentType: { type: "text", subtype: "plain", params: { charset: "us-ascii" } },
      encoding: "7bit",
    });
    expect(readContentHeaders([], true).contentType).toEqual({
      type: "message",
      subtype: "rfc822",
      params: {},
    });
  });

  test("all Content-* fields, types and encoding lower-cased, raw values kept", () => {
    const headers = readContentHeaders(
      fields({
        "Content-Type": 'IMAGE/PNG; Name="a.png"',
        "Content-Transfer-Encoding": "BASE64",
        "Content-Disposition": 'Inline; filename="a.png"',
        "Content-ID": "<a@b>",
        "Content-Description": "=?UTF-8?Q?caf=C3=A9?=",
        "Content-MD5": "Q2hlY2s=",
        "Content-Language": "en, fr-CA , ??",
        "Content-Location": "http://example.com/a.png",
      }),
      false,
    );
    expect(headers).toEqual({
      contentType: { type: "image", subtype: "png", params: { name: "a.png" } },
      encoding: "base64",
      disposition: { type: "inline", params: { filename: "a.png" } },
      contentId: "<a@b>",
      description: "=?UTF-8?Q?caf=C3=A9?=",
      md5: "Q2hlY2s=",
      language: ["en", "fr-CA"],
      location: "http://example.com/a.png",
    });
  });

  test("the first Content-Type wins", () => {
    const headers = readContentHeaders(
      fields({ "Content-Type": "text/html", "content-type": "image/gif" }),
      false,
    );
    expect(headers.contentType.subtype).toBe("html");
  });

  test("an invalid encoding is 7bit, as in Dovecot", () => {
    expect(readContentHeaders(fields({ "Content-Transfer-Encoding": "?invalid" }), false).encoding).toBe(
      "7bit",
    );
  });

  test("a garbage Content-Type falls back to the default; a missing subtype is filled in", () => {
    expect(readContentHeaders(fields({ "Content-Type": "/;" }), false).contentType.subtype).toBe("plain");
    expect(readContentHeaders(fields({ "Content-Type": "text" }), false).contentType.subtype).toBe("plain");
    expect(readContentHeaders(fields({ "Content-Type": "multipart" }), false).contentType.subtype).toBe(
      "x-unknown",
    );
    expect(readContentHeaders(fields({ "Content-Type": "image; x=1" }), false).contentType).toEqual({
      type: "image",
      subtype: "unknown",
      params: { x: "1" },
    });
  });

  test("a disposition without a type is ignored", () => {
    expect(
      readContentHeaders(fields({ "Content-Disposition": '; filename="x"' }), false).disposition,
    ).toBeUndefined();
  });
});
