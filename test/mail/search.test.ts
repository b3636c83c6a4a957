/**
 * search_query_native: the parser, the FTS5 compiler, and both run for real against the
 * messages_fts DDL in an in-memory SQLite with ~30 messages indexed through searchDocument.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { toFtsMatch } from "../../src/mail/search/fts.ts";
import {
  MAX_INDEXED_BODY_CHARS,
  type SearchableMessage,
  type SearchParticipant,
  searchDocument,
} from "../../src/mail/search/index-text.ts";
import { parseSearch, type SearchNode, SearchSyntaxError } from "../../src/mail/search/parse.ts";
import { MESSAGES_FTS_DDL } from "../../src/mail/search/schema.ts";

const term = (text: string, prefix = false): SearchNode => ({ type: "term", text, prefix });
const phrase = (text: string): SearchNode => ({ type: "phrase", text });
const and = (...children: SearchNode[]): SearchNode => ({ type: "and", children });
const or = (...children: SearchNode[]): SearchNode => ({ type: "or", children });
const not = (child: SearchNode): SearchNode => ({ type: "not", child });

function syntaxError(query: string): { message: string; position: number } {
  try {
    parseSearch(query);
  } catch (e) {
    if (!(e instanceof SearchSyntaxError)) throw e;
    return { message: e.message, position: e.position };
  }
  throw new Error(`parsed without error: ${query}`);
}

const compile = (query: string) => toFtsMatch(parseSearch(query));

describe("parseSearch: constructs", () => {
  test("a word, and implicit AND the same as explicit AND", () => {
    expect(parseSearch("invoice")).toEqual(term("invoice"));
    expect(parseSearch("invoice march")).toEqual(and(term("invoice"), term("march")));
    expect(parseSearch("invoice AND march")).toEqual(parseSearch("invoice march"));
    expect(parseSearch("a b AND c")).toEqual(and(term("a"), term("b"), term("c")));
  });

  test("AND binds tighter than OR, implicit or explicit", () => {
    expect(parseSearch("a OR b c")).toEqual(or(term("a"), and(term("b"), term("c"))));
    expect(parseSearch("a b OR c")).toEqual(or(and(term("a"), term("b")), term("c")));
    expect(parseSearch("a AND b OR c AND d")).toEqual(
      or(and(term("a"), term("b")), and(term("c"), term("d"))),
    );
    expect(parseSearch("a OR b OR c")).toEqual(or(term("a"), term("b"), term("c")));
  });

  test("parentheses group, and may nest 8 deep", () => {
    expect(parseSearch("(a OR b) c")).toEqual(and(or(term("a"), term("b")), term("c")));
    expect(parseSearch("((((((((a))))))))")).toEqual(term("a"));
  });

  test("quoted phrases, which end words and need no space around them", () => {
    expect(parseSearch('"reset your password"')).toEqual(phrase("reset your password"));
    expect(parseSearch('a"b c"d')).toEqual(and(term("a"), phrase("b c"), term("d")));
    expect(parseSearch('"a OR b"')).toEqual(phrase("a OR b"));
  });

  test("leading - negates a word, a phrase or a group; a - elsewhere is part of the word", () => {
    expect(parseSearch("-spam")).toEqual(not(term("spam")));
    expect(parseSearch('-"weekly digest"')).toEqual(not(phrase("weekly digest")));
    expect(parseSearch("a -(b OR c)")).toEqual(and(term("a"), not(or(term("b"), term("c")))));
    expect(parseSearch("follow-up")).toEqual(term("follow-up"));
    expect(parseSearch("--a")).toEqual(not(not(term("a"))));
  });

  test("field prefixes on a word, a phrase and a group; -field: and field:- are the same", () => {
    expect(parseSearch("from:alice@example.com")).toEqual({
      type: "field",
      field: "from",
      child: term("alice@example.com"),
    });
    expect(parseSearch('subject:"quarterly report"')).toEqual({
      type: "field",
      field: "subject",
      child: phrase("quarterly report"),
    });
    expect(parseSearch("filename:(pdf OR docx)")).toEqual({
      type: "field",
      field: "filename",
      child: or(term("pdf"), term("docx")),
    });
    const negated = not({ type: "field", field: "to", child: term("bob") });
    expect(parseSearch("-to:bob")).toEqual(negated);
    expect(parseSearch("to:-bob")).toEqual(negated);
    for (const field of ["cc", "body"]) {
      expect(parseSearch(`${field}:x`)).toEqual({ type: "field", field, child: term("x") } as SearchNode);
    }
  });

  test("unknown or upper-case prefixes are plain words", () => {
    expect(parseSearch("From:alice")).toEqual(term("From:alice"));
    expect(parseSearch("re:meeting")).toEqual(term("re:meeting"));
  });

  test("a trailing * asks for a prefix; a * elsewhere is just text", () => {
    expect(parseSearch("invoi*")).toEqual(term("invoi", true));
    expect(parseSearch("alice@exa*")).toEqual(term("alice@exa", true));
    expect(parseSearch("a*b")).toEqual(term("a*b"));
    expect(parseSearch('"invoice"*')).toEqual(phrase("invoice"));
  });

  test("operators are upper-case only: and, or, NOT are words", () => {
    expect(parseSearch("a or b")).toEqual(and(term("a"), term("or"), term("b")));
    expect(parseSearch("a and b")).toEqual(and(term("a"), term("and"), term("b")));
    expect(parseSearch("a NOT b")).toEqual(and(term("a"), term("NOT"), term("b")));
    expect(parseSearch('"AND"')).toEqual(phrase("AND"));
  });

  test("words and phrases with nothing searchable are dropped", () => {
    expect(parseSearch("invoice !!!")).toEqual(term("invoice"));
    expect(parseSearch('invoice OR "" OR -*')).toEqual(term("invoice"));
    expect(parseSearch("a - b")).toEqual(and(term("a"), term("b")));
    expect(parseSearch("a (!!! OR ...)")).toEqual(term("a"));
  });

  test("control characters and Unicode spaces separate words", () => {
    expect(parseSearch("a\u0000b\u3000c")).toEqual(and(term("a"), term("b"), term("c")));
  });
});

describe("parseSearch: errors", () => {
  const cases: [string, string, number][] = [
    ["", "empty search query", 0],
    [" \t\n", "empty search query", 0],
    ["a".repeat(513), "the query is longer than 512 bytes", 512],
    ["é".repeat(257), "the query is longer than 512 bytes", 256],
    ["x ".repeat(33), "the query has more than 64 terms and operators", 64],
    ["(((((((((a)))))))))", "parentheses are nested deeper than 8 levels", 8],
    ["(a", 'unclosed "("', 0],
    ["(", 'unclosed "("', 0],
    ["a (", 'unclosed "("', 2],
    ["a (b (c)", 'unclosed "("', 2],
    ["a)", 'unmatched ")"', 1],
    ["'); DROP TABLE messages_fts; --", 'unmatched ")"', 1],
    [")", 'unmatched ")"', 0],
    ["(a))", 'unmatched ")"', 3],
    ["()", "empty parentheses", 0],
    ['"unterminated', "unterminated quote", 0],
    ['a "b" "c', "unterminated quote", 6],
    ["a AND", '"AND" has no term after it', 2],
    ["a OR", '"OR" has no term after it', 2],
    ["a OR OR b", '"OR" has no term after it', 2],
    ["a AND OR b", '"AND" has no term after it', 2],
    ["(a OR) b", '"OR" has no term after it', 3],
    ["OR b", '"OR" has no term before it', 0],
    ["AND", '"AND" has no term before it', 0],
    ["a (AND b)", '"AND" has no term before it', 3],
    ["-AND", '"-" must be followed by a word, a quoted phrase or a group', 0],
    ["subject:", '"subject:" must be followed, without a space, by a word, a quoted phrase or a group', 0],
    ["subject: x", '"subject:" must be followed, without a space, by a word, a quoted phrase or a group', 0],
    ["a from:OR", '"from:" must be followed, without a space, by a word, a quoted phrase or a group', 2],
    ["from:to:x", '"to:" is inside another field prefix', 5],
    ["from:(a to:b)", '"to:" is inside another field prefix', 8],
    ["!!!", "the query has no searchable words", 0],
    ["*", "the query has no searchable words", 0],
    ["_*", "the query has no searchable words", 0],
    ['""', "the query has no searchable words", 0],
    ["- -- (...)", "the query has no searchable words", 0],
  ];
  for (const [query, message, position] of cases) {
    test(`${JSON.stringify(query.length > 20 ? `${query.slice(0, 20)}…` : query)}: ${message}`, () => {
      expect(syntaxError(query)).toEqual({ message, position });
    });
  }

  test("just inside the limits parses", () => {
    expect(() => parseSearch("a".repeat(512))).not.toThrow();
    expect(() => parseSearch("é".repeat(256))).not.toThrow();
    expect(() => parseSearch("x ".repeat(32))).not.toThrow();
    expect(() => parseSearch(`${"😀".repeat(127)}ab`)).not.toThrow();
    expect(syntaxError(`${"😀".repeat(128)}a`).position).toBe(256);
  });

  test("a query of only negations is not an error", () => {
    expect(parseSearch("-spam -from:news")).toEqual(
      and(not(term("spam")), not({ type: "field", field: "from", child: term("news") })),
    );
  });
});

describe("toFtsMatch", () => {
  const cases: [string, string][] = [
    ["invoice", '"invoice"'],
    ["Invoice March", '("Invoice" AND "March")'],
    ["a OR b c", '("a" OR ("b" AND "c"))'],
    ["a -b", '("a" NOT "b")'],
    ["-a b", '("b" NOT "a")'],
    ["(x OR y) -z", '(("x" OR "y") NOT "z")'],
    ["a -b c -d", '(("a" AND "c") NOT ("b" OR "d"))'],
    ["-spam", '("_all_messages_" NOT "spam")'],
    ["a OR -b", '("a" OR ("_all_messages_" NOT "b"))'],
    ["a -(b -c)", '("a" NOT ("b" NOT "c"))'],
    ['"reset your password"', '"reset your password"'],
    ["invoice.pdf", '"invoice pdf"'],
    ["tomorrow.", '"tomorrow"'],
    ["alice@example.com", '"alice@example.com"'],
    ["alice@example.com.", '"alice example com"'],
    ["invoi*", '"invoi" *'],
    ["alice@exa*", '"alice@exa" *'],
    ["alice@*", '"alice@" *'],
    ["example.c*", '"example c" *'],
    ["from:alice", '{from_addr} : "alice"'],
    ["to:bob cc:carol", '({to_addr} : "bob" AND {cc_addr} : "carol")'],
    ["subject:(a OR b)", '({subject} : "a" OR {subject} : "b")'],
    ["filename:invoice body:x", '({filenames} : "invoice" AND {body} : "x")'],
    ["from:-alice", '("_all_messages_" NOT {from_addr} : "alice")'],
    ["a from:(b -c)", '("a" AND ({from_addr} : "b" NOT {from_addr} : "c"))'],
    ["東京タワー", '"東  京  タ  ワ  ー"'],
    ["NEAR(a b)", '("NEAR" AND ("a" AND "b"))'],
    ["{body}: x", '("{body}:" AND "x")'],
    ["^a", '"^a"'],
    ["col:x", '"col:x"'],
  ];
  for (const [query, expected] of cases) {
    test(`${query} → ${expected}`, () => {
      expect(compile(query)).toBe(expected);
    });
  }

  test('quotes in a hand-built term are doubled; an unsearchable one becomes ""', () => {
    expect(toFtsMatch(term('say "hi"'))).toBe('"say ""hi"""');
    expect(toFtsMatch(term("!!!", true))).toBe('"" *');
  });
});

describe("searchDocument", () => {
  test("addresses are indexed split into words and, after the text, whole", () => {
    const doc = searchDocument({
      ...blank,
      subject: "Re: follow-up.",
      from: [{ name: "Alice Smith", email: "alice@example.com" }],
      to: [{ email: "bob.jones@example.com" }],
      bodyText: "Write to help@example.com. Thanks!",
      attachmentFilenames: ["invoice.pdf", "Q1_report.xlsx"],
    });
    expect(doc).toEqual({
      subject: "Re: follow up  _all_messages_",
      participants:
        "Alice Smith alice example com  bob jones example com alice@example.com bob.jones@example.com",
      from_addr: "Alice Smith alice example com alice@example.com",
      to_addr: " bob jones example com bob.jones@example.com",
      cc_addr: "",
      body: "Write to help example com  Thanks! help@example.com",
      filenames: "invoice pdf Q1 report xlsx",
    });
  });

  test("indexing pathological text takes linear time", () => {
    const started = performance.now();
    for (const bodyText of [
      "x".repeat(100_000),
      `a@${".".repeat(99_990)}x`,
      "a@".repeat(50_000),
      "-".repeat(100_000),
    ]) {
      searchDocument({ ...blank, bodyText });
    }
    // A backtracking address regex took over 5 s on the first of these.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("participants cover from, to, cc, bcc and reply-to", () => {
    const one = (email: string): SearchParticipant[] => [{ email }];
    const doc = searchDocument({
      ...blank,
      from: one("f@x.io"),
      to: one("t@x.io"),
      cc: one("c@x.io"),
      bcc: one("b@x.io"),
      replyTo: one("r@x.io"),
    });
    for (const address of ["f@x.io", "t@x.io", "c@x.io", "b@x.io", "r@x.io"]) {
      expect(doc.participants).toContain(address);
    }
  });

  test("the body is cut at a word boundary near the limit", () => {
    const filler = "lorem ".repeat(Math.floor(MAX_INDEXED_BODY_CHARS / 6) - 1);
    const body = searchDocument({ ...blank, bodyText: `${filler}inside outside` }).body;
    expect(body.endsWith(" inside")).toBe(true);
    expect(body.length).toBeLessThanOrEqual(MAX_INDEXED_BODY_CHARS);
    const unbroken = searchDocument({ ...blank, bodyText: "x".repeat(MAX_INDEXED_BODY_CHARS * 2) }).body;
    expect(unbroken.length).toBe(MAX_INDEXED_BODY_CHARS);
  });
});

const blank: SearchableMessage = {
  subject: "",
  from: [],
  to: [],
  cc: [],
  bcc: [],
  replyTo: [],
  bodyText: "",
  attachmentFilenames: [],
};

function who(spec: string): SearchParticipant[] {
  return spec.split(",").map((one) => {
    const match = /^(.*)<(.+)>$/.exec(one.trim());
    return match ? { name: (match[1] ?? "").trim(), email: match[2] ?? "" } : { email: one.trim() };
  });
}

type Fixture = [
  id: number,
  subject: string,
  from: string,
  body: string,
  extra?: { to?: string; cc?: string; bcc?: string; replyTo?: string; files?: string[] },
];

// biome-ignore format: one message per line reads as a table
const MESSAGES: Fixture[] = [
  [1, "Invoice #1042 for March", "Alice Smith <alice@example.com>", "Hi, please find the invoice attached. Payment is due by April 15.", { to: "billing@agentbox.dev", files: ["invoice.pdf"] }],
  [2, "Re: Invoice #1042 for March", "Billing Team <billing@agentbox.dev>", "Thanks Alice, we received the invoice and will pay next week.", { to: "alice@example.com" }],
  [3, "Quarterly report", "Bob Jones <bob.jones@example.com>", "The quarterly report is ready for review. See the attached spreadsheet.", { to: "team@agentbox.dev", cc: "alice@example.com", files: ["Q1-report.xlsx"] }],
  [4, "Lunch tomorrow?", "Carol <carol@mail.example.org>", "Want to grab lunch tomorrow at the café on Main Street?", { to: "bob.jones@example.com" }],
  [5, "Café meeting notes", "Dave <dave@cafe-society.net>", "Notes from the meeting at Cafe Society."],
  [6, "Password reset", "Acme Security <no-reply@acme.io>", "Click the link to reset your password. If you did not request this, ignore this email."],
  [7, "Your verification code", "no-reply@acme.io", "Your verification code is 483920. It expires in 10 minutes."],
  [8, "Straße und Größe", "Jürgen Müller <juergen@beispiel.de>", "Wir treffen uns in der Straße vor dem Büro. Grüße, Jürgen"],
  [9, "会議の議事録", "田中 <tanaka@example.jp>", "東京タワーで会議をしました。資料を添付します。", { files: ["議事録.pdf"] }],
  [10, "Shipping update", "orders@shop.example.com", "Your order has shipped. Track it with the link below. Contact support@shop.example.com with questions."],
  [11, "Newsletter: spring sale", "news@deals.example.net", "Spring sale: 50% off everything. Unsubscribe at any time."],
  [12, "Newsletter: summer sale", "news@deals.example.net", "Summer sale starts now."],
  [13, "Follow-up on proposal", "alice@example.com", "Following up on the proposal we discussed. Let me know your thoughts.", { to: "bob.jones@example.com", files: ["proposal-v2.docx"] }],
  [14, "Proposal feedback", "bob.jones@example.com", "The proposal looks good but the budget section needs work.", { to: "alice@example.com" }],
  [15, "Malicious test", "malice@example.com", "Nothing to see here."],
  [16, "Forwarded address", "bob.alice@example.com", "Forwarding this along."],
  [17, "Team offsite", "team@agentbox.dev", "The offsite will be in Lisbon in June.", { bcc: "alice@example.com" }],
  [18, "Reply-to test", "robot@notify.example.com", "Replies go to support.", { replyTo: "Alice Support <help@example.com>" }],
  [19, "Research and development", "cto@agentbox.dev", "R&D budget for next year."],
  [20, "Flight itinerary", "travel@airline.example", "Your flight to Paris departs at 9:40. Gate B12.", { files: ["boarding-pass.pdf", "itinerary.ics"] }],
  [21, "Invoice overdue", "accounts@vendor.example", "Invoice 2291 is overdue. Please remit payment.", { files: ["invoice_2291.pdf"] }],
  [22, "Happy birthday!", "mom@family.example", "Happy birthday sweetheart! Love, Mom"],
  [23, "Security alert", "no-reply@acme.io", "A new sign-in to your account from Chrome on Windows."],
  [24, "Contract draft", "legal@lawfirm.example", "Attached is the contract draft for your review.", { cc: "alice@example.com", files: ["contract draft v3.pdf"] }],
  [25, "Re: Lunch tomorrow?", "bob.jones@example.com", "Sure, see you at noon at the café.", { to: "carol@mail.example.org" }],
  [26, "Build failed", "ci@builds.example.dev", "Build #5521 failed on main: test_search timed out."],
  [27, "Build passed", "ci@builds.example.dev", "Build #5522 passed on main."],
  [28, "Dinner plans", "carol@mail.example.org", "Dinner at the new Italian place on Friday?", { to: "alice@example.com" }],
  [29, "회의 일정", "kim@example.kr", "다음 주 회의를 준비해 주세요."],
  [30, 'He said "NEAR" and {body}', "quiz@agentbox.dev", "The word NEAR appears here, as does subject: colon text, a star * and a caret ^."],
];

const ALL_IDS = MESSAGES.map(([id]) => id);

function openIndex(): Database {
  const db = new Database(":memory:");
  db.run(MESSAGES_FTS_DDL);
  const insert = db.prepare(
    `INSERT INTO messages_fts (rowid, subject, participants, from_addr, to_addr, cc_addr, body, filenames)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [id, subject, from, bodyText, extra = {}] of MESSAGES) {
    const list = (spec?: string) => (spec ? who(spec) : []);
    const doc = searchDocument({
      subject,
      from: who(from),
      to: list(extra.to ?? "agent@agentbox.dev"),
      cc: list(extra.cc),
      bcc: list(extra.bcc),
      replyTo: list(extra.replyTo),
      bodyText,
      attachmentFilenames: extra.files ?? [],
    });
    insert.run(
      id,
      doc.subject,
      doc.participants,
      doc.from_addr,
      doc.to_addr,
      doc.cc_addr,
      doc.body,
      doc.filenames,
    );
  }
  return db;
}

const db = openIndex();
const matchStatement = db.prepare<{ rowid: number }, [string]>(
  "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid",
);
const runMatch = (match: string): number[] => matchStatement.all(match).map((row) => row.rowid);
const search = (query: string): number[] => runMatch(compile(query));
const allBut = (...ids: number[]) => ALL_IDS.filter((id) => !ids.includes(id));

const ALICE_EXACT = [1, 2, 3, 13, 14, 17, 24, 28];
const EXAMPLE_COM = [1, 2, 3, 4, 10, 13, 14, 15, 16, 17, 18, 24, 25, 28];

describe("searching a real FTS5 index", () => {
  const cases: [string, number[]][] = [
    // words, case-folded, in any column; punctuation around words does not stick to them
    ["invoice", [1, 2, 21]],
    ["INVOICE", [1, 2, 21]],
    ["tomorrow", [4, 25]],
    ["lisbon", [17]],
    ["483920", [7]],
    ["test", [15, 18, 26]],
    // phrases
    ['"reset your password"', [6]],
    ['"see you at noon"', [25]],
    ['"password reset"', [6]],
    ['"reset password"', []],
    // AND (implicit = explicit) binds tighter than OR
    ["invoice march", [1, 2]],
    ["invoice AND march", [1, 2]],
    ["invoice OR proposal feedback", [1, 2, 14, 21]],
    ["invoice proposal OR feedback", [14]],
    ["(invoice OR proposal) feedback", [14]],
    ["invoice OR proposal", [1, 2, 13, 14, 21]],
    ["invoice or proposal", []],
    ["research and development", [19]],
    ["((((invoice))))", [1, 2, 21]],
    // negation
    ["newsletter -summer", [11]],
    ["-spring sale", [12]],
    ["build -(failed OR timed)", [27]],
    ['acme -"verification code"', [6, 23]],
    ["proposal from:-alice", [14]],
    ["offsite -lisbon", []],
    ["-from:no-reply@acme.io", allBut(6, 7, 23)],
    ["-(newsletter OR build OR acme)", allBut(6, 7, 11, 12, 23, 26, 27)],
    ["-newsletter -build -acme", allBut(6, 7, 11, 12, 23, 26, 27)],
    ["summer OR -sale", allBut(11)],
    // addresses: whole is exact, parts match as words
    ["alice@example.com", ALICE_EXACT],
    ["Alice@Example.COM", ALICE_EXACT],
    ["alice", [...ALICE_EXACT, 16, 18].sort((a, b) => a - b)],
    ["example.com", EXAMPLE_COM],
    ["@example.com", EXAMPLE_COM],
    ["example.com -alice@example.com", [4, 10, 15, 16, 18, 25]],
    ["bob.jones@example.com", [3, 4, 13, 14, 25]],
    ["jones", [3, 4, 13, 14, 25]],
    ["bob", [3, 4, 13, 14, 16, 25]],
    ["mail.example.org", [4, 25, 28]],
    ["example.org", [4, 25, 28]],
    ["help@example.com", [18]],
    ["support@shop.example.com", [10]],
    ["no-reply", [6, 7, 23]],
    ['"Alice Smith"', [1]],
    ["Muller", [8]],
    ["juergen@beispiel.de", [8]],
    // attachment names
    ["invoice.pdf", [1]],
    ["filename:invoice", [1, 21]],
    ["Q1-report.xlsx", [3]],
    ["boarding-pass.pdf", [20]],
    ["itinerary", [20]],
    ['filename:"contract draft v3.pdf"', [24]],
    ["pdf", [1, 9, 20, 21, 24]],
    // word-joining punctuation inside words
    ["follow-up", [13]],
    ["follow", [13]],
    ["test_search", [26]],
    // diacritics and non-ASCII
    ["cafe", [4, 5, 25]],
    ["café", [4, 5, 25]],
    ["Straße", [8]],
    ["Grüße", [8]],
    ["gruße", [8]],
    ["strasse", []],
    // CJK: one token per character, so a phrase is a substring search
    ["会議", [9]],
    ["東京", [9]],
    ["タワー", [9]],
    ["議事録.pdf", [9]],
    ['"会議 資料"', []],
    ["회의", [29]],
    // field prefixes
    ["from:alice", [1, 13, 16]],
    ["from:alice@example.com", [1, 13]],
    ["to:alice@example.com", [2, 14, 28]],
    ["cc:alice", [3, 24]],
    ['subject:"verification code"', [7]],
    ["subject:(invoice OR sale)", [1, 2, 11, 12, 21]],
    ["body:alice", [2]],
    ["body:café", [4, 5, 25]],
    ["subject:colon", []],
    ["body:colon", [30]],
    // prefix search
    ["invoi*", [1, 2, 21]],
    ["build*", [26, 27]],
    ["report*", [3]],
    ["alice@exa*", ALICE_EXACT],
    ["alice@*", ALICE_EXACT],
    ["example.c*", EXAMPLE_COM],
    // injection attempts are searched as text
    ["NEAR(a b)", []],
    ["NEAR(word appears)", [30]],
    ["{body}: star", [30]],
    ["{body}: x", []],
    ["^a", [23, 30]],
    ["subject:NEAR", [30]],
    ["'; DROP TABLE messages_fts; --", []],
    // the every-row token cannot be searched for
    ["_all_messages_", []],
    ["_all_messages_*", []],
    ["all*", []],
  ];
  for (const [query, expected] of cases) {
    test(`${query} → [${expected.length > 10 ? `${expected.length} messages` : expected.join(", ")}]`, () => {
      expect(search(query)).toEqual(expected);
    });
  }

  test("the table survives the injection attempts", () => {
    expect(search("invoice")).toEqual([1, 2, 21]);
  });

  test("CJK without the per-character split would only match whole runs (the limitation it works around)", () => {
    expect(runMatch('"東京タワーで会議をしました"')).toEqual([]);
    expect(runMatch('"東 京 タ ワ ー で 会 議 を し ま し た"')).toEqual([9]);
  });
});

const nobody = { from: [], to: [], cc: [], bcc: [], replyTo: [] };

describe("properties", () => {
  test("ASCII text is indexed as the general path would: a non-ASCII word after it changes nothing before it", () => {
    const asciiText = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            " ",
            "\t",
            "\r\n",
            "\u0000",
            "\u007f",
            "\u001b",
            ".",
            "-",
            "_",
            "+",
            "word",
            "x.y",
            "a-b",
          ),
          fc.string({ maxLength: 8, unit: "binary-ascii" }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join("").replaceAll("@", " "));
    fc.assert(
      fc.property(asciiText, (text) => {
        const ascii = searchDocument({
          ...nobody,
          subject: "",
          bodyText: text,
          attachmentFilenames: [],
        }).body;
        const general = searchDocument({
          ...nobody,
          subject: "",
          bodyText: `${text} é`,
          attachmentFilenames: [],
        }).body;
        expect(general).toBe(`${ascii} é`);
      }),
    );
  });

  test("any string either parses or throws SearchSyntaxError, and compiles to a query FTS5 accepts", () => {
    const grammarish = fc
      .array(
        fc.oneof(
          fc.constantFrom("AND", "OR", "(", ")", '"', "-", "*", ":", " ", "from:", "subject:", "{", "}", "^"),
          fc.constantFrom(
            "NEAR",
            "alice@example.com",
            "a",
            "é",
            "東京",
            "\u0000",
            "\ud800",
            "_all_messages_",
          ),
          fc.string({ maxLength: 6, unit: "grapheme" }),
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(""));
    const anything = fc.oneof(
      grammarish,
      fc.string({ maxLength: 80, unit: "binary" }),
      fc.string({ maxLength: 600 }),
    );
    fc.assert(
      fc.property(anything, (query) => {
        let node: SearchNode;
        try {
          node = parseSearch(query);
        } catch (e) {
          if (e instanceof SearchSyntaxError) return;
          throw e;
        }
        runMatch(toFtsMatch(node));
      }),
      { numRuns: 3000 },
    );
  });

  // Leaves whose result sets the table above pins down; a random boolean query over them must
  // return the set algebra of those sets.
  const LEAVES: [string, number[]][] = [
    ["invoice", [1, 2, 21]],
    ["alice@example.com", ALICE_EXACT],
    ["from:alice", [1, 13, 16]],
    ["proposal", [13, 14]],
    ['"sale"', [11, 12]],
    ["example.org", [4, 25, 28]],
    ["build*", [26, 27]],
  ];
  type Expr = { query: string; ids: Set<number> };
  const leaf = fc.constantFrom(...LEAVES).map(([query, ids]): Expr => ({ query, ids: new Set(ids) }));
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("expr"), tie("expr"), fc.boolean()).map(
        ([a, b, explicit]): Expr => ({
          query: `(${a.query}${explicit ? " AND " : " "}${b.query})`,
          ids: new Set([...a.ids].filter((id) => b.ids.has(id))),
        }),
      ),
      fc
        .tuple(tie("expr"), tie("expr"))
        .map(([a, b]): Expr => ({ query: `(${a.query} OR ${b.query})`, ids: new Set([...a.ids, ...b.ids]) })),
      tie("expr").map(
        (a): Expr => ({ query: `-${a.query}`, ids: new Set(ALL_IDS.filter((id) => !a.ids.has(id))) }),
      ),
    ),
  }));

  test("random AND/OR/NOT queries return the set algebra of their leaves", () => {
    fc.assert(
      fc.property(expr, ({ query, ids }) => {
        let node: SearchNode;
        try {
          node = parseSearch(query);
        } catch (e) {
          // Deep random trees may exceed the nesting or size limits; those are tested above.
          if (e instanceof SearchSyntaxError && /nested|more than/.test(e.message)) return;
          throw e;
        }
        expect(runMatch(toFtsMatch(node))).toEqual([...ids].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});
