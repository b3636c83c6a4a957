import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CleanOptions, cleanConversation, DEFAULT_CLEAN_OPTIONS } from "../../src/mail/clean/index.ts";
import { parseMessage } from "../../src/mail/parse-message.ts";

/**
 * Clean text (Nylas's `conversation`) of replies and forwards as Gmail, Outlook (web and
 * desktop), Apple Mail (macOS and iPhone) and Thunderbird write them, and of a plain-text reply
 * and a table newsletter: each NAME.eml has its exact expected output in NAME.txt (the default
 * options: plain text) and, for some, NAME.md (Markdown with links, images and tables kept).
 */

const DIR = join(import.meta.dir, "../fixtures/clean");
const MARKDOWN: CleanOptions = {
  ignoreLinks: false,
  ignoreImages: false,
  imagesAsMarkdown: true,
  ignoreTables: false,
  removeConclusionPhrases: false,
  htmlAsMarkdown: true,
};

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".eml"))
  .sort()
  .map((f) => f.slice(0, -4));
const bodyOf = (name: string) => parseMessage(readFileSync(join(DIR, `${name}.eml`))).body;
const expected = (name: string, ext: string) => readFileSync(join(DIR, `${name}.${ext}`), "utf8").trimEnd();

describe("fixtures", () => {
  test("one of each client is here", () => {
    for (const prefix of [
      "gmail-",
      "outlook-web-",
      "outlook-desktop-",
      "apple-mail-",
      "apple-iphone-",
      "thunderbird-",
    ]) {
      expect(fixtures.some((f) => f.startsWith(prefix))).toBe(true);
    }
  });

  for (const name of fixtures) {
    test(`${name}: plain text, default options`, () => {
      expect(cleanConversation(bodyOf(name))).toBe(expected(name, "txt"));
    });
    if (existsSync(join(DIR, `${name}.md`))) {
      test(`${name}: Markdown with links, images and tables`, () => {
        expect(cleanConversation(bodyOf(name), MARKDOWN)).toBe(expected(name, "md"));
      });
    }
  }
});

describe("options", () => {
  const clean = (html: string, options: Partial<CleanOptions> = {}) =>
    cleanConversation(html, { ...DEFAULT_CLEAN_OPTIONS, ...options });

  test("links: text only by default; text (url) in plain text; [text](url) in Markdown", () => {
    const html =
      '<p>Read <a href="https://a.example/x">the post</a> or <a href="https://a.example/y">https://a.example/y</a>.</p>';
    expect(clean(html)).toBe("Read the post or https://a.example/y.");
    expect(clean(html, { ignoreLinks: false })).toBe(
      "Read the post (https://a.example/x) or https://a.example/y.",
    );
    expect(clean(html, { ignoreLinks: false, htmlAsMarkdown: true })).toBe(
      "Read [the post](https://a.example/x) or [https://a.example/y](https://a.example/y).",
    );
  });

  test("images: dropped by default; Markdown, or their alt text", () => {
    const html = '<p>Chart: <img src="cid:chart1" alt="sales chart"></p>';
    expect(clean(html)).toBe("Chart:");
    expect(clean(html, { ignoreImages: false })).toBe("Chart: ![sales chart](cid:chart1)");
    expect(clean(html, { ignoreImages: false, imagesAsMarkdown: false })).toBe("Chart: sales chart");
  });

  test("conclusion phrases: the closing and the name under it, only at the end", () => {
    const html =
      "<div>Thanks for the update, all clear.</div><div><br></div><div>Ship it.</div><div><br></div><div>Thanks,</div><div>Ann</div>";
    expect(clean(html)).toBe("Thanks for the update, all clear.\n\nShip it.");
    expect(clean(html, { removeConclusionPhrases: false })).toBe(
      "Thanks for the update, all clear.\n\nShip it.\n\nThanks,\nAnn",
    );
    expect(clean("<div>Thanks!</div>")).toBe("Thanks!");
  });

  test("scripts and styles never come through", () => {
    expect(clean("<style>p{color:red}</style><p>Hello</p><script>alert(1)</script>")).toBe("Hello");
  });

  test("a message that is only a forward keeps the forwarded text", () => {
    const html =
      "<div>---------- Forwarded message ---------<br>From: A &lt;a@x.example&gt;<br><br>Body</div>";
    expect(clean(html)).toContain("Body");
  });
});
