import { describe, expect, test } from "bun:test";
import { baseSubject } from "../../src/mail/base-subject.ts";
import { parseMessage } from "../../src/mail/parse-message.ts";
import { sortKeys } from "../../src/mail/sort-keys.ts";

describe("base subject (RFC 5256 §2.1)", () => {
  test.each([
    // subject, base, reply/forward
    ["", "", false],
    ["   ", "", false],
    ["Hello", "Hello", false],
    ["Re: Hello", "Hello", true],
    ["RE:Hello", "Hello", true],
    ["re : Hello", "Hello", true],
    ["Fw: Hello", "Hello", true],
    ["Fwd: Re: Hello", "Hello", true],
    ["Re[2]: Hello", "Hello", true],
    ["Re [list]: Hello", "Hello", true],
    ["Hello (fwd)", "Hello", true],
    ["Hello (FWD)  (fwd) ", "Hello", true],
    ["[list] Hello", "Hello", false],
    ["[list] [other] Re: Hello", "Hello", true],
    ["[xyz]", "[xyz]", false],
    ["Re: [FWD: c]", "c", true],
    ["[Fwd: Hello]", "Hello", true],
    ["[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b", true],
    ["re: [fwd: [fwd: re: [fwd: babylon]]]", "babylon", true],
    ["Ad: Re: Ad: Re: Ad: x", "Ad: Re: Ad: Re: Ad: x", false],
    ["Hello\tthere  world", "Hello there world", false],
    ["Reply to this", "Reply to this", false],
    ["b (a)", "b (a)", false],
  ])("%p → %p", (subject, base, reply) => {
    expect(baseSubject(subject)).toEqual({ base, reply });
  });
});

describe("sort keys from the ENVELOPE", () => {
  const keys = (headers: string) =>
    sortKeys(parseMessage(Buffer.from(`${headers}\r\n\r\nbody\r\n`)).envelope);

  test("subject: encoded-words decoded, base subject, upper case", () => {
    expect(keys("Subject: =?iso-8859-1?q?RE:_C?=")).toMatchObject({ subject: "C", subjectReply: true });
    expect(keys("Subject: =?us-ascii?b?UmU6IGM=?=")).toMatchObject({ subject: "C", subjectReply: true });
    expect(keys("Subject: =?utf-8?q?r=C3=A9sum=C3=A9?=").subject).toBe("RÉSUMÉ");
    expect(keys("From: a@b.c").subject).toBe("");
  });

  test("FROM / TO / CC: the first address's mailbox; a group's name", () => {
    expect(keys("From: Foo Bar <User2@Domain.org>, x@y.z")).toMatchObject({ from: "USER2" });
    expect(keys("Cc: user2: blah@domain1.org;")).toMatchObject({ cc: "USER2" });
    expect(keys("To: <>")).toMatchObject({ to: "" });
    expect(keys("Subject: none")).toMatchObject({ from: "", to: "", cc: "" });
  });

  test("DISPLAYFROM / DISPLAYTO (RFC 5957): the display name, else the address", () => {
    expect(keys("From: =?iso-8859-1?q?foo_aar?= <e@f.g>").displayFrom).toBe("FOO AAR");
    expect(keys("From: b@c.d").displayFrom).toBe("B@C.D");
    expect(keys("From: d").displayFrom).toBe("D");
    expect(keys('From: "" <x@y.z>').displayFrom).toBe("X@Y.Z");
    expect(keys("To: a: xx@xx.org, yy@yy.org;").displayTo).toBe("A");
    expect(keys("To: empty:;").displayTo).toBe("EMPTY");
  });
});
