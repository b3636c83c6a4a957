import { describe, expect, test } from "bun:test";
import { Args, BadArgs, parseDateTime, parseSearchDate } from "../../protocols/imap/args.ts";
import { CommandError } from "../../protocols/imap/completion.ts";
import { type CommandFrame, Framer, type FramerEvent } from "../../protocols/imap/framer.ts";
import { ParseError, parseCommand, type Token } from "../../protocols/imap/parser.ts";

const limits = {
  maxLine: 1000,
  maxBuffered: 100_000,
  maxLiteral: (c: string) => (c === "APPEND" ? 5000 : 100),
};

function frames(input: string | Buffer, l = limits): FramerEvent[] {
  const f = new Framer(l);
  f.push(typeof input === "string" ? Buffer.from(input, "latin1") : input);
  const out: FramerEvent[] = [];
  for (let ev = f.next("command"); ev; ev = f.next("command")) out.push(ev);
  return out;
}

function parse(line: string, literals: string[] = []): ReturnType<typeof parseCommand> {
  const parts = line.split("\n");
  const frame: CommandFrame = {
    lines: parts.map((p) => Buffer.from(p, "latin1")),
    literals: literals.map((l) => Buffer.from(l, "latin1")),
  };
  return parseCommand(frame);
}

const atom = (value: string): Token => ({ kind: "atom", value });
const str = (s: string, literal = false): Token => ({ kind: "string", bytes: Buffer.from(s), literal });

describe("framer", () => {
  test("one line is one command; CRLF and bare LF both end it", () => {
    const evs = frames("a1 NOOP\r\na2 NOOP\n");
    expect(evs.map((e) => e.type)).toEqual(["command", "command"]);
    expect(evs.map((e) => (e.type === "command" ? e.frame.lines[0]?.toString() : ""))).toEqual([
      "a1 NOOP",
      "a2 NOOP",
    ]);
  });

  test("a synchronizing literal asks for continuation, then is read byte-exact", () => {
    const f = new Framer(limits);
    f.push(Buffer.from("a1 LOGIN {6}\r\n"));
    expect(f.next("command")).toEqual({ type: "continue", size: 6 });
    expect(f.next("command")).toBeNull();
    f.push(Buffer.from("us\r\ner {2}\r\n"));
    expect(f.next("command")).toEqual({ type: "continue", size: 2 });
    f.push(Buffer.from("pw\r\n"));
    const ev = f.next("command");
    expect(ev?.type).toBe("command");
    if (ev?.type !== "command") return;
    expect(ev.frame.literals.map((l) => l.toString())).toEqual(["us\r\ner", "pw"]);
    expect(ev.frame.lines.map((l) => l.toString())).toEqual(["a1 LOGIN {6}", " {2}", ""]);
  });

  test("LITERAL+ literals need no continuation", () => {
    const evs = frames("a1 APPEND INBOX {3+}\r\nabc\r\n");
    expect(evs.map((e) => e.type)).toEqual(["command"]);
  });

  test("a literal over APPENDLIMIT is refused without reading it (NO [TOOBIG] for APPEND)", () => {
    const evs = frames("a1 APPEND INBOX {6000}\r\na2 NOOP\r\n");
    expect(evs[0]).toEqual({
      type: "literal-too-big",
      tag: "a1",
      command: "APPEND",
      size: 6000,
      limit: 5000,
      sync: true,
    });
    expect(evs[1]?.type).toBe("command");
  });

  test("other commands have a small literal limit", () => {
    const evs = frames("a1 LOGIN {101}\r\n");
    expect(evs[0]).toMatchObject({ type: "literal-too-big", command: "LOGIN", limit: 100 });
  });

  test("a line over the limit is an overflow (the connection then closes)", () => {
    const evs = frames(`a9 ${"x".repeat(2000)}`);
    expect(evs).toEqual([{ type: "overflow", tag: "a9", reason: "command line too long" }]);
  });

  test("too much buffered input is refused", () => {
    const f = new Framer({ ...limits, maxBuffered: 10 });
    expect(f.push(Buffer.from("a".repeat(11)))).toBe(false);
  });

  test("line mode returns raw lines (IDLE's DONE, AUTHENTICATE)", () => {
    const f = new Framer(limits);
    f.push(Buffer.from("DONE\r\n"));
    expect(f.next("line")).toEqual({ type: "line", line: Buffer.from("DONE") });
  });
});

describe("parser", () => {
  test("tag, name and atoms", () => {
    expect(parse("a1 noop")).toEqual({ tag: "a1", name: "NOOP", args: [] });
    expect(parse("x.2 FETCH 1:* (FLAGS UID)")).toEqual({
      tag: "x.2",
      name: "FETCH",
      args: [atom("1:*"), { kind: "list", items: [atom("FLAGS"), atom("UID")] }],
    });
  });

  test("quoted strings with escapes, and literals", () => {
    expect(parse('a LOGIN "a\\"b" "c\\\\d"').args).toEqual([str('a"b'), str("c\\d")]);
    expect(parse("a LOGIN {3}\n {2}\n", ["u\r\n", "pw"]).args).toEqual([str("u\r\n", true), str("pw", true)]);
  });

  test("flags and list wildcards are atoms", () => {
    expect(parse("a STORE 1 +FLAGS (\\Seen $Junk)").args[2]).toEqual({
      kind: "list",
      items: [atom("\\Seen"), atom("$Junk")],
    });
    expect(parse('a LIST "" %/*').args[1]).toEqual(atom("%/*"));
  });

  test("body sections with fields and partials", () => {
    expect(parse('a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From "To")]<10.20> BODY[])').args[1]).toEqual({
      kind: "list",
      items: [
        {
          kind: "section",
          name: "BODY.PEEK",
          section: 'HEADER.FIELDS (From "To")',
          partial: { start: 10, length: 20 },
        },
        { kind: "section", name: "BODY", section: "", partial: null },
      ],
    });
  });

  test("errors are ParseError with the tag when it could be read", () => {
    const cases: [string, string][] = [
      ["", "*"],
      ["+ NOOP", "*"],
      ["a1", "a1"],
      ['a1 LOGIN "unterminated', "a1"],
      ["a1 FETCH 1 (FLAGS", "a1"],
      ["a1 FETCH 1 FLAGS)", "a1"],
      ["a1 FETCH 1 BODY[1", "a1"],
      ["a1 FETCH 1 BODY[]<1.0>", "a1"],
      ['a1 LOGIN "a"b', "a1"],
      ["a1 LOGIN ~{3}", "a1"],
    ];
    for (const [line, tag] of cases) {
      let err: unknown;
      try {
        parse(line);
      } catch (e) {
        err = e;
      }
      expect(err, line).toBeInstanceOf(ParseError);
      expect((err as ParseError).tag, line).toBe(tag);
    }
  });
});

describe("args", () => {
  test("typed readers", () => {
    const a = new Args(parse('a X "inbox" 42 1:3,5 (A B) &AOk-t&AOk-').args);
    expect(a.mailbox()).toBe("INBOX");
    expect(a.number("n")).toBe(42);
    expect(a.sequenceSet()).toEqual([
      [1, 3],
      [5, 5],
    ]);
    expect(a.list("l")).toHaveLength(2);
    expect(a.mailbox()).toBe("été");
    a.end();
  });

  test("bad arguments throw BadArgs", () => {
    expect(() => new Args(parse("a X").args).atom("thing")).toThrow(BadArgs);
    expect(() => new Args(parse("a X 0").args).sequenceSet()).toThrow(BadArgs);
    expect(() => new Args(parse("a X &Jjo").args).mailbox()).toThrow(CommandError);
    expect(() => new Args(parse("a X y").args).end()).toThrow(BadArgs);
  });

  test("dates", () => {
    expect(parseSearchDate("1-Feb-2024")).toBe(Date.UTC(2024, 1, 1) / 1000);
    expect(parseSearchDate("31-Feb-2024")).toBeNull();
    expect(parseSearchDate("2024-02-01")).toBeNull();
    expect(parseDateTime(" 7-Mar-2025 10:11:12 +0100")).toBe(Date.UTC(2025, 2, 7, 9, 11, 12) / 1000);
    expect(parseDateTime("17-Jul-1996 02:44:25 -0700")).toBe(Date.UTC(1996, 6, 17, 9, 44, 25) / 1000);
    expect(parseDateTime("17-Jul-1996 25:44:25 -0700")).toBeNull();
  });
});
