/** The parser and framer never crash or hang, whatever the client sends. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Args, BadArgs } from "../../protocols/imap/args.ts";
import { parseFetchRequest } from "../../protocols/imap/fetch-items.ts";
import { Framer } from "../../protocols/imap/framer.ts";
import { ParseError, parseCommand } from "../../protocols/imap/parser.ts";
import { SearchParser } from "../../protocols/imap/search-keys.ts";

const limits = { maxLine: 2000, maxBuffered: 50_000, maxLiteral: () => 300 };
const pieces = [
  "a1 ",
  "FETCH ",
  "1:* ",
  "(",
  ")",
  "BODY[",
  "]",
  "<1.2>",
  "{3}\r\n",
  "{2+}\r\n",
  '"',
  "\\",
  "\r\n",
  " ",
  "*",
  "UID ",
  "SEARCH ",
  "OR ",
  "NOT ",
  "HEADER.FIELDS (",
  "~{1}",
  "\u00e9",
  "\0",
  "%",
  "[",
  "NIL",
  "\n",
  "1.2.MIME",
];
const inputs = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => Buffer.from(a.join(""), "utf8")),
);

function drive(bytes: Uint8Array, chunk: number): void {
  const f = new Framer(limits);
  for (let i = 0; i < bytes.length; i += chunk) {
    f.push(bytes.subarray(i, i + chunk));
    for (let n = 0; n < 10_000; n++) {
      const ev = f.next(n % 7 === 3 ? "line" : "command");
      if (!ev) break;
      if (ev.type !== "command") continue;
      try {
        const cmd = parseCommand(ev.frame);
        // Read arguments the way FETCH and SEARCH do.
        try {
          parseFetchRequest(new Args(cmd.args.slice(1)));
        } catch (e) {
          if (!(e instanceof BadArgs)) throw e;
        }
        try {
          new SearchParser(cmd.args).all();
        } catch (e) {
          if (!(e instanceof BadArgs)) throw e;
        }
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
      }
    }
  }
}

describe("parser fuzz", () => {
  test("arbitrary input, in arbitrary chunks: only ParseError/BadArgs, and it terminates", () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        const start = performance.now();
        drive(bytes, chunk);
        expect(performance.now() - start).toBeLessThan(1000);
      }),
      { numRuns: 3000 },
    );
  });

  test("deep nesting is refused, not a stack overflow", () => {
    const line = `a1 SEARCH ${"(".repeat(5000)}ALL${")".repeat(5000)}`;
    expect(() => parseCommand({ lines: [Buffer.from(line)], literals: [] })).toThrow(ParseError);
  });
});
