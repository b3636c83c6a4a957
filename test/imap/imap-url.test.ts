import { describe, expect, test } from "bun:test";
import { formatImapUrl, type ImapUrl, parseImapUrl, resolveImapUrl } from "../../protocols/imap/imap-url.ts";

function parsed(text: string): ImapUrl {
  const result = parseImapUrl(text);
  if (!result.ok) throw new Error(`${text}: ${result.reason}`);
  return result.url;
}

function resolved(text: string, base?: ImapUrl): ImapUrl {
  const result = resolveImapUrl(text, base);
  if (!result.ok) throw new Error(`${text}: ${result.reason}`);
  return result.url;
}

describe("IMAP URLs (RFC 5092)", () => {
  test("refused: not an IMAP URL, or a part out of place", () => {
    for (const bad of [
      "",
      "http://host/INBOX",
      "imap://",
      "imap://@host/INBOX",
      "imap://host:99999/INBOX",
      "imap://host//;UID=1",
      "imap://host/INBOX;UIDVALIDITY=0",
      "imap://host/INBOX;FOO=1",
      "imap://host/INBOX/;UID=0",
      "imap://host/INBOX/;UID=x",
      "imap://host/INBOX/;SECTION=1",
      "imap://host/INBOX/;UID=1/;SECTION=1/;UID=2",
      "imap://host/INBOX/;UID=1/;PARTIAL=1/;SECTION=1",
      "imap://host/INBOX/;UID=1/;SECTION=FOO",
      "imap://host/INBOX/;UID=1/;PARTIAL=1.0",
      "imap://host/INBOX/;UID=1/;PARTIAL=a",
      "imap://host/INBOX?SUBJECT%20x",
      "imap://host/INBOX/;UID=1;URLAUTH=nobody",
      "imap://host/INBOX/;UID=1;EXPIRE=tomorrow;URLAUTH=anonymous",
      "imap://host/INBOX/;UID=1:INTERNAL:0123456789abcdef0123456789abcdef",
      "imap://host/%E2%28/;UID=1",
    ]) {
      expect(parseImapUrl(bad).ok, bad).toBe(false);
    }
  });

  test("the server part: user, AUTH, host, port", () => {
    expect(parsed("imap://michael@minbari.example.org/users.michael.toread").server).toEqual({
      user: "michael",
      host: "minbari.example.org",
    });
    expect(parsed("imap://psicorp.example.org:993/~peter").server).toEqual({
      host: "psicorp.example.org",
      port: 993,
    });
    expect(parsed("imap://;AUTH=*@minbari.example.org/gray%20council").server).toEqual({
      auth: "*",
      host: "minbari.example.org",
    });
    expect(parsed("imap://joe%40x.org;AUTH=GSSAPI@h/INBOX").server).toEqual({
      user: "joe@x.org",
      auth: "GSSAPI",
      host: "h",
    });
    expect(parsed("imap://h").mailbox).toBeUndefined();
  });

  test("a message part: mailbox (percent-decoded, with its hierarchy), UIDVALIDITY, UID, SECTION, PARTIAL", () => {
    expect(
      parsed("imap://h/Gray%20Council/Sub;UIDVALIDITY=385759045/;UID=20/;SECTION=1.2.mime/;PARTIAL=0.1024"),
    ).toEqual({
      server: { host: "h" },
      mailbox: "Gray Council/Sub",
      uidValidity: 385759045,
      uid: 20,
      section: "1.2.MIME",
      partial: { offset: 0, length: 1024 },
    });
    expect(parsed("imap://h/%C3%A9t%C3%A9/;uid=3/;partial=100").mailbox).toBe("été");
    expect(parsed("imap://h/INBOX/;uid=3/;partial=100").partial).toEqual({ offset: 100 });
    expect(parsed("imap://h/INBOX/;UID=3/;SECTION=HEADER.FIELDS%20(FROM%20TO)").section).toBe(
      "HEADER.FIELDS (FROM TO)",
    );
  });

  test("URLAUTH: expire, access, the rump and the verifier", () => {
    const token = "91354a473744909de610943775f92038";
    const rump = "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred";
    expect(parsed(`${rump}:internal:${token}`)).toEqual({
      server: { user: "joe", host: "example.com" },
      mailbox: "INBOX",
      uid: 20,
      section: "1.2",
      access: { kind: "submit", user: "fred" },
      rump,
      mechanism: "INTERNAL",
      token,
    });
    const withExpire = parsed("imap://h/INBOX/;UID=1;EXPIRE=2030-01-02T03:04:05Z;URLAUTH=user+a%2Bb");
    expect(withExpire.expire?.toISOString()).toBe("2030-01-02T03:04:05.000Z");
    expect(withExpire.access).toEqual({ kind: "user", user: "a+b" });
    expect(withExpire.token).toBeUndefined();
    expect(parsed("imap://h/INBOX/;UID=1;URLAUTH=AuthUser").access).toEqual({ kind: "authuser" });
    expect(parsed("imap://h/INBOX/;UID=1;URLAUTH=anonymous").access).toEqual({ kind: "anonymous" });
  });

  test("relative forms (CATENATE): absolute path, mailbox-relative, message-relative", () => {
    const base = parsed("imap://joe@h/INBOX;UIDVALIDITY=7/;UID=5/;SECTION=2");
    expect(resolved("/Sent/;uid=9/;section=header", base)).toEqual({
      server: { user: "joe", host: "h" },
      mailbox: "Sent",
      uid: 9,
      section: "HEADER",
    });
    expect(resolved("/Sent;uidvalidity=12345/;uid=9")).toEqual({
      server: undefined,
      mailbox: "Sent",
      uidValidity: 12345,
      uid: 9,
    });
    expect(resolved(";UID=6/;SECTION=1", base)).toMatchObject({
      mailbox: "INBOX",
      uidValidity: 7,
      uid: 6,
      section: "1",
    });
    expect(resolved(";SECTION=3", base)).toMatchObject({ mailbox: "INBOX", uid: 5, section: "3" });
    expect(resolved(";PARTIAL=10.5", base)).toMatchObject({
      uid: 5,
      section: "2",
      partial: { offset: 10, length: 5 },
    });
    expect(resolved("//other/Drafts/;UID=1").server).toEqual({ host: "other" });
    expect(resolved("imap://x/A/;UID=1").mailbox).toBe("A");
    expect(resolveImapUrl(";UID=1").ok).toBe(false);
    expect(resolveImapUrl(";SECTION=1", parsed("imap://h/INBOX")).ok).toBe(false);
    expect(resolveImapUrl("/INBOX/;UID=1;URLAUTH=anonymous").ok).toBe(false);
    expect(resolveImapUrl("INBOX", base).ok).toBe(false);
  });

  test("formatted back to the canonical absolute form", () => {
    const url = parsed(
      "imap://joe@h:143/My%20Box;uidvalidity=7/;uid=5/;section=1/;partial=0.10;urlauth=user+joe",
    );
    expect(formatImapUrl(url)).toBe(
      "imap://joe@h:143/My%20Box;UIDVALIDITY=7/;UID=5/;SECTION=1/;PARTIAL=0.10;URLAUTH=user+joe",
    );
    expect(parsed(formatImapUrl(url))).toEqual({ ...url, rump: formatImapUrl(url) });
  });
});
