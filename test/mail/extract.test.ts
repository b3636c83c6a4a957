import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { extractCodes } from "../../src/mail/extract/codes.ts";
import { htmlToText } from "../../src/mail/extract/html.ts";
import { extract } from "../../src/mail/extract/index.ts";
import { type ExtractedLink, extractLinks } from "../../src/mail/extract/links.ts";

const FIXTURES = join(import.meta.dir, "../fixtures/extract");

interface Fixture {
  name: string;
  description: string;
  text: string | null;
  html: string | null;
  codes: string[];
  links: ExtractedLink[];
}

/** Each fixture is NAME.json (expectations) with NAME.txt and/or NAME.html beside it. */
function loadFixtures(): Fixture[] {
  const read = (file: string) =>
    existsSync(join(FIXTURES, file)) ? readFileSync(join(FIXTURES, file), "utf8") : null;
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".json".length);
      return {
        name,
        text: read(`${name}.txt`),
        html: read(`${name}.html`),
        ...JSON.parse(read(file) ?? "{}"),
      };
    });
}

const fixtures = loadFixtures();

describe("fixtures", () => {
  test("cover at least 25 messages, each with a text or an HTML body", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    for (const f of fixtures) expect(f.text ?? f.html).not.toBeNull();
  });

  for (const f of fixtures) {
    test(`${f.name}: ${f.description}`, () => {
      expect(extract(f.text, f.html)).toEqual({ codes: f.codes, links: f.links });
    });
  }

  // The text part wins when present, so check the HTML part on its own as well.
  for (const f of fixtures.filter((f) => f.text !== null && f.html !== null)) {
    test(`${f.name}: the HTML part alone yields the same codes`, () => {
      expect(extractCodes("", f.html)).toEqual(f.codes);
    });
  }
});

describe("codes: what counts", () => {
  test.each([
    ["Your verification code is 483921", ["483921"]],
    ["483921 is your Instagram code. Don't share it.", ["483921"]],
    ["G-483921 is your Google verification code.", ["483921"]],
    ["FB-12345 is your Facebook confirmation code", ["12345"]],
    ["Your code:483921", ["483921"]],
    ["Your code: 48 39 21", ["483921"]],
    ["Your code: 483-921", ["483921"]],
    ["Your code: A1B-2C3", ["A1B2C3"]],
    ["Your code is 2024", ["2024"]],
    ["Your PIN is 7351", ["7351"]],
    ["Ihr Sicherheitscode: 55 12 90", ["551290"]],
    ["Código de verificación: 881 204", ["881204"]],
    ["Your verification code is:\n\n  483 921\n\nIt expires soon.", ["483921"]],
    ["Verification code\n\nHi Ana,\nUse the code below.\n\n**730211**", ["730211"]],
    ["Your code is 111111. Backup code: 222222. Again, your code is 111111.", ["111111", "222222"]],
    ["Your code is 483921 and your order number is 12345678.", ["483921"]],
    ["Your code: 904\u2011216", ["904216"]],
    ["認証コード：７２９１０４", ["729104"]],
    ["Your login code is\n\n4 8 3 9 2 1", ["483921"]],
  ])("%j → %j", (text, expected) => {
    expect(extractCodes(text)).toEqual(expected);
  });

  test("codes are 4–10 characters of digits or capitals with a digit", () => {
    expect(extractCodes("Your code: 123")).toEqual([]);
    expect(extractCodes("Your code: 12345678901")).toEqual([]);
    expect(extractCodes("Your code: ABCDEF")).toEqual([]);
    expect(extractCodes("Your code: abc123")).toEqual([]);
    expect(extractCodes("Your code: 1234567890")).toEqual(["1234567890"]);
  });

  test("split groups join only when each is 2–5 characters and the whole is 4–10", () => {
    expect(extractCodes("Your code: 1234 5678 9012")).toEqual([]);
    expect(extractCodes("Your code: 4 8 3 9 2 1 and more")).toEqual([]);
    expect(extractCodes("Your code: 483921 12")).toEqual(["483921"]);
  });

  test("a code needs a keyword in its sentence, the next one, or a standalone line right after", () => {
    expect(extractCodes("Your order 48392011 has shipped.")).toEqual([]);
    expect(extractCodes("We shipped 48392011 parcels. Verify your email.")).toEqual([]);
    expect(extractCodes("Verification code\nLine one\nLine two\nLine three\nLine four\n483921")).toEqual([]);
  });

  test("once a code is found, a warning sentence does not pull in the next number", () => {
    expect(extractCodes("Your code is 483921. Never share this code.\n0800 123456")).toEqual(["483921"]);
  });

  test("derives text from the HTML only when the text part is empty", () => {
    const html = "<p>Your verification code</p><div>662913</div>";
    expect(extractCodes("", html)).toEqual(["662913"]);
    expect(extractCodes("  \n", html)).toEqual(["662913"]);
    expect(extractCodes("Your verification code is 111222", html)).toEqual(["111222"]);
  });
});

describe("codes: false positives", () => {
  test.each([
    ["years in dates", "Your verification code was sent on March 12, 2024."],
    ["ISO dates", "Verification code requested 2024-03-12."],
    ["copyright years", "Verify your account. © 2024 Acme"],
    ["years after 'until'", "The code below is valid until 2024."],
    ["years after 'since'", "Your security code has protected you since 2019."],
    ["US phone numbers", "Didn't request this code? Call 555-123-4567."],
    ["phone numbers with an area code", "Didn't request this code? Call (555) 123-4567."],
    ["international phone numbers", "Questions about your code: +44 20 7946 0958"],
    ["labelled phone numbers", "Your code did not arrive? Telefon: 030 8019 2040"],
    ["masked phone numbers", "Verification code sent to ***-***-0100"],
    ["last digits of a phone", "Your code has been sent. Please check your phone ending in 4839."],
    ["dollar prices", "Verify your order of $1234 today."],
    ["euro prices", "Verification fee: 1234 € or 1.234,00 EUR"],
    ["order numbers", "Verification for order 48392011 complete."],
    ["invoice numbers", "Verify invoice number: 2024004"],
    ["postal codes in addresses", "Verify your email.\nAcme Inc., 500 Main Street, Springfield, IL 62704"],
    ["European postal codes", "Verify your email.\n10115 Berlin"],
    ["times", "Your code expires at 12:30."],
    ["durations", "Your code expires in 1440 minutes."],
    ["percentages", "Verification success rate: 9999%"],
    ["URL query digits", "Verify here: https://example.com/verify?code=483921&id=55512345"],
    ["e-mail addresses", "Your code was sent to user4839@example.com"],
    ["tracking numbers", "Delivery verification code: 1Z999AA10123456784"],
    ["spaced tracking numbers", "Delivery verification code: 9400 1000 0000 0000 0000 00"],
    ["promo codes", "Use promo code SAVE2024 at checkout."],
    ["German discount codes", "Ihr Rabattcode: SOMMER24"],
    ["French promo codes", "Votre code promo : ETE2024"],
    ["codes of conduct", "Read our code of conduct 2024 edition"],
    ["QR codes", "Scan the QR code 4839 times"],
    ["reference codes", "Reference code: AB12CD34"],
    ["Turkish discount codes", "İndirim kodu YAZ2024 ile"],
    ["'pin' the verb", "Please pin 4839 to your board"],
    ["decimals and versions", "Verify with app v2.4839 or 1234.56"],
    ["hashtags and anchors", "Verify #483921"],
  ])("%s", (_rule, text) => {
    expect(extractCodes(text)).toEqual([]);
  });

  test("CSS colours and <style> in HTML", () => {
    const html =
      "<style>.code{color:#123456}</style><p style='color:#654321'>Your code: <b>778899</b> #A1B2C3</p>";
    expect(extractCodes("", html)).toEqual(["778899"]);
  });

  test("<head>, <script> and comments are not read", () => {
    const html =
      "<head><title>Code 111111</title></head><script>var code = 222222</script><!-- code 333333 --><p>Nothing</p>";
    expect(extractCodes("", html)).toEqual([]);
  });
});

describe("links", () => {
  test("text URLs lose sentence punctuation but keep balanced parentheses", () => {
    const text = [
      "See https://example.com/a.",
      "(see https://example.com/b)",
      "Wiki: https://en.wikipedia.org/wiki/Foo_(bar),",
      "Mail <https://example.com/c>",
      "Quoted 'https://example.com/d?x=1&y=2'!",
    ].join("\n");
    expect(extractLinks(text).map((l) => l.url)).toEqual([
      "https://example.com/a",
      "https://example.com/b",
      "https://en.wikipedia.org/wiki/Foo_(bar)",
      "https://example.com/c",
      "https://example.com/d?x=1&y=2",
    ]);
  });

  test("text labels: markdown, 'label: url', and a URL under a line ending in a colon", () => {
    const text =
      "[Open inbox](https://a.example/1)\nReset: https://a.example/2\nClick below:\n\nhttps://a.example/3\nhttps://a.example/4 now";
    expect(extractLinks(text)).toEqual([
      { url: "https://a.example/1", text: "Open inbox" },
      { url: "https://a.example/2", text: "Reset" },
      { url: "https://a.example/3", text: "Click below" },
      { url: "https://a.example/4", text: "" },
    ]);
  });

  test("HTML anchors: entities decoded in href and text, image alt, then title", () => {
    const html = [
      `<a href="https://a.example/x?b=1&amp;c=2&#38;d=3">Go&nbsp;&raquo; <b>now</b></a>`,
      `<a title="Logo" href='https://a.example/logo'><img alt="Acme &amp; Co" src="l.png"></a>`,
      `<a href=https://a.example/t title="Only title"><img src="t.png"></a>`,
      `<a data-href="https://wrong.example" href="https://a.example/right">Right</a>`,
    ].join("");
    expect(extractLinks("", html)).toEqual([
      { url: "https://a.example/x?b=1&c=2&d=3", text: "Go » now" },
      { url: "https://a.example/logo", text: "Acme & Co" },
      { url: "https://a.example/t", text: "Only title" },
      { url: "https://a.example/right", text: "Right" },
    ]);
  });

  test("skips mailto:, tel:, javascript:, cid:, #anchors, relative and commented-out links", () => {
    const html = [
      `<a href="mailto:a@b.example">mail</a><a href="tel:+15551234">tel</a>`,
      `<a href="javascript:void(0)">js</a><a href="cid:img1">cid</a><a href="#top">top</a>`,
      `<a href="/relative">rel</a><!-- <a href="https://hidden.example">hidden</a> -->`,
    ].join("");
    expect(extractLinks("mailto:a@b.example", html)).toEqual([]);
  });

  test("de-duplicated by URL: HTML order first, text-only URLs after, empty text filled in", () => {
    const html = `<a href="https://a.example/1"><img src="x"></a><a href="https://a.example/2">Two</a><a href="https://a.example/1">One</a>`;
    const text = "Three: https://a.example/3\nTwo again: https://a.example/2";
    expect(extractLinks(text, html)).toEqual([
      { url: "https://a.example/1", text: "One" },
      { url: "https://a.example/2", text: "Two" },
      { url: "https://a.example/3", text: "Three" },
    ]);
  });
});

describe("htmlToText", () => {
  test("blocks become lines, cells share a line, invisible elements and entities are handled", () => {
    const html = `<head><style>p{color:red}</style></head><body><h1>Hi&nbsp;there</h1>
      <p>Line
      one</p><table><tr><td>a</td><td>b</td></tr></table><script>x()</script>caf&eacute; &amp; &#x263A;</body>`;
    expect(htmlToText(html)).toBe("Hi there\nLine one\na b\ncafé & ☺");
  });
});

describe("speed", () => {
  // Each of these made an earlier version rescan the rest of the input per occurrence.
  test.each([
    ["unclosed tags", null, "<".repeat(50_000)],
    ["unclosed <style> and comments", null, "<style><!--".repeat(10_000)],
    ["unclosed anchors", null, "<a href='https://a.example/'>x".repeat(10_000)],
    ["one endless compound word", "code".repeat(40_000), null],
    ["a long token without @ near a code", `code 1234 ${"x".repeat(100_000)}`, null],
    ["thousands of digits near a code", `code 1234, ${"1 ".repeat(30_000)}`, null],
    ["thousands of percentages near a code", `code 1234, ${"1% ".repeat(30_000)}`, null],
    ["thousands of years near a code", `code 1234, ${"2024, ".repeat(5_000)}`, null],
    ["a URL ending in parentheses", `https://a.example/${")".repeat(40_000)}`, null],
    ["brackets before a URL", `${"[".repeat(60_000)} https://a.example/`, null],
  ])("hostile input stays linear: %s", (_name, text, html) => {
    const started = performance.now();
    extract(text, html);
    expect(performance.now() - started).toBeLessThan(250);
  });

  test("a typical message is extracted well under a millisecond", () => {
    const messages = fixtures.map((f) => [f.text, f.html] as const);
    for (const [text, html] of messages) extract(text, html); // warm-up
    const rounds = 50;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) for (const [text, html] of messages) extract(text, html);
    const perMessage = (performance.now() - started) / (rounds * messages.length);
    expect(perMessage).toBeLessThan(0.5);
  });
});

describe("ASCII fast path", () => {
  test("codes in ASCII text are found as the general path finds them with a non-ASCII line after it", () => {
    const line = fc
      .array(
        fc.oneof(
          fc.constantFrom("Your code is", "verification code:", "PIN", "OTP", " ", "\t", ".", "-", "\r"),
          fc.constantFrom("123456", "AB12CD", "48 21 93", "4821-93", "2024", "https://a.example/x"),
          fc.string({ maxLength: 6, unit: "binary-ascii" }),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(" "));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = lines.join("\n");
        expect(extractCodes(`${text}\n\n\nÉté`)).toEqual(extractCodes(text));
      }),
    );
  });
});
