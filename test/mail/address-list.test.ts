import { describe, expect, test } from "bun:test";
import { type ImapAddress, parseAddressList } from "../../src/mail/address-list.ts";

const addr = (
  name: string | null,
  mailbox: string | null,
  host: string | null,
  adl: string | null = null,
) => ({
  name,
  adl,
  mailbox,
  host,
});
const GROUP_END: ImapAddress = addr(null, null, null);

describe("parseAddressList", () => {
  test("bare, angle and named addresses", () => {
    expect(parseAddressList("a@b.example, <c@d.example>, Carol Jones <carol@e.example>")).toEqual([
      addr(null, "a", "b.example"),
      addr(null, "c", "d.example"),
      addr("Carol Jones", "carol", "e.example"),
    ]);
  });

  test("quoted display names keep commas and lose escapes", () => {
    expect(parseAddressList('"Doe, John \\"JD\\"" <jd@x.example>, "" <e@x.example>')).toEqual([
      addr('Doe, John "JD"', "jd", "x.example"),
      addr(null, "e", "x.example"),
    ]);
  });

  test("a comment names an address that has no display name", () => {
    expect(parseAddressList("user@domain (Real Name), <u2@d> (Second)")).toEqual([
      addr("Real Name", "user", "domain"),
      addr("Second", "u2", "d"),
    ]);
  });

  test("groups: start marker with the name, members, end marker", () => {
    expect(parseAddressList("group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;")).toEqual([
      addr(null, "group", null),
      addr(null, "g1", "d1.org"),
      addr(null, "g2", "d2.org"),
      GROUP_END,
      addr(null, "group2", null),
      addr(null, "g3", "d3.org"),
      GROUP_END,
    ]);
    expect(parseAddressList("undisclosed-recipients:;")).toEqual([
      addr(null, "undisclosed-recipients", null),
      GROUP_END,
    ]);
    expect(parseAddressList("group2: (foo) ;")).toEqual([addr(null, "group2", null), GROUP_END]);
  });

  test("a group without its closing semicolon still ends", () => {
    expect(parseAddressList("Team: a@x, B <b@x>")).toEqual([
      addr(null, "Team", null),
      addr(null, "a", "x"),
      addr("B", "b", "x"),
      GROUP_END,
    ]);
  });

  test("source routes go to adl", () => {
    expect(parseAddressList("<@route:user@domain>, Jo <@a,@b:jo@c>")).toEqual([
      addr(null, "user", "domain", "@route"),
      addr("Jo", "jo", "c", "@a,@b"),
    ]);
  });

  test("encoded-words and 8-bit names stay raw; quoted local parts and domain literals", () => {
    expect(parseAddressList('=?UTF-8?Q?Ren=C3=A9e?= <r@x>, Ren\xc3\xa9e <"odd local"@[192.0.2.1]>')).toEqual([
      addr("=?UTF-8?Q?Ren=C3=A9e?=", "r", "x"),
      addr("Ren\xc3\xa9e", "odd local", "[192.0.2.1]"),
    ]);
  });

  test("addresses without a domain, the null address, empty and garbage input", () => {
    expect(parseAddressList("postmaster")).toEqual([addr(null, "postmaster", "")]);
    expect(parseAddressList("<>")).toEqual([addr(null, "", "")]);
    expect(parseAddressList("")).toEqual([]);
    expect(parseAddressList(" , ,")).toEqual([]);
    expect(parseAddressList("<<>>;;::@@,,(((")).toBeInstanceOf(Array);
  });

  test("display name words are joined as they were spaced", () => {
    expect(parseAddressList("Dr. J.  Smith <js@x>")).toEqual([addr("Dr. J. Smith", "js", "x")]);
  });
});
