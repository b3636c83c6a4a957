import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hashAppPassword } from "../../src/accounts/app-password.ts";
import { createGrant } from "../../src/accounts/provision.ts";
import { createApplication } from "../../src/applications/applications.ts";
import { createDomain } from "../../src/domains/domains.ts";
import { newUuid } from "../../src/ids.ts";
import {
  deliver,
  type ImapClient,
  type ImapFixture,
  imapFixture,
  message,
  PASSWORD,
  quote,
} from "./harness.ts";

let f: ImapFixture;
beforeAll(async () => {
  f = await imapFixture();
});
afterAll(() => f.stop());

const RAW = message({ subject: "Signed", body: "The body." });

/** `imap://local@domain/INBOX/;UID=n…`, the URL of one of the account's messages. */
function urlOf(email: string, tail: string): string {
  const [local, domain] = email.split("@");
  return `imap://${local}@${domain}/INBOX/${tail}`;
}

async function genurlauth(c: ImapClient, tag: string, url: string): Promise<string> {
  const untagged = await c.ok(`${tag} GENURLAUTH ${quote(url)} INTERNAL`);
  expect(untagged).toHaveLength(1);
  const m = /^\* GENURLAUTH "(.*)"$/.exec(untagged[0] ?? "");
  expect(m, untagged[0]).not.toBeNull();
  return m?.[1] ?? "";
}

/** A logged-in session on an account of an application of its own. */
async function otherApplicationClient(): Promise<ImapClient> {
  const store = f.t.server.store;
  const application = await createApplication(store, "other");
  const domain = await createDomain(store, {
    applicationId: application.id,
    name: "other",
    domainAddress: `${newUuid()}.test`,
  });
  const grant = await createGrant(store, {
    applicationId: application.id,
    domainId: domain.id,
    email: `o-${newUuid().slice(0, 8)}@${domain.domainAddress ?? "other.test"}`,
    name: null,
    workspaceId: null,
    settings: {},
    appPasswordHash: await hashAppPassword(PASSWORD),
    storageQuotaBytes: 10 * 1024 * 1024,
    dailySendLimit: 100,
  });
  return f.client(grant.email);
}

describe("GENURLAUTH / URLFETCH / RESETKEY (RFC 4467)", () => {
  test("GENURLAUTH errors: syntax, mechanism, no access identifier, a verifier, another user's or missing mailbox", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const c = await f.client(email);
    expect((await c.transact("a1 GENURLAUTH")).tagged).toBe("a1 BAD GENURLAUTH: missing URL");
    expect(
      (await c.transact(`a2 GENURLAUTH ${quote(urlOf(email, `;UID=${uid};URLAUTH=anonymous`))}`)).tagged,
    ).toBe("a2 BAD GENURLAUTH: missing mechanism");
    const url = urlOf(email, `;UID=${uid};URLAUTH=anonymous`);
    expect((await c.transact(`a3 GENURLAUTH ${quote(url)} XOAUTH`)).tagged).toBe(
      "a3 NO unsupported URLAUTH mechanism XOAUTH",
    );
    expect((await c.transact(`a4 GENURLAUTH ${quote(urlOf(email, `;UID=${uid}`))} INTERNAL`)).tagged).toBe(
      "a4 NO invalid URL: no URLAUTH access identifier",
    );
    expect(
      (await c.transact(`a5 GENURLAUTH "imap://x/INBOX/;UID=0;URLAUTH=anonymous" INTERNAL`)).tagged,
    ).toBe("a5 NO invalid URL: bad UID");
    const signed = await genurlauth(c, "a6", url);
    expect((await c.transact(`a7 GENURLAUTH ${quote(signed)} INTERNAL`)).tagged).toBe(
      "a7 NO invalid URL: it already has a verifier",
    );
    const { email: other } = await f.account();
    expect(
      (await c.transact(`a8 GENURLAUTH ${quote(urlOf(other, ";UID=1;URLAUTH=anonymous"))} INTERNAL`)).tagged,
    ).toBe("a8 NO invalid URL: not this user's mail");
    const nobox = url.replace("/INBOX/", "/Nope/");
    expect((await c.transact(`a9 GENURLAUTH ${quote(nobox)} INTERNAL`)).tagged).toBe(
      "a9 NO invalid URL: no such mailbox",
    );
  }, 20_000);

  test("GENURLAUTH signs with HMAC-SHA256; URLFETCH returns the message, a section, a partial", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const c = await f.client(email);
    const rump = urlOf(email, `;uid=${uid};urlauth=user+${email}`);
    const signed = await genurlauth(c, "a1", rump);
    expect(signed).toMatch(new RegExp(`^${rump.replace(/[.+?]/g, "\\$&")}:INTERNAL:[0-9a-f]{64}$`));
    const fetched = await c.ok(`a2 URLFETCH ${quote(signed)}`);
    expect(fetched).toEqual([`* URLFETCH ${quote(signed)} {${RAW.length}}\r\n${RAW}`]);

    const section = await genurlauth(
      c,
      "a3",
      urlOf(email, `;UID=${uid}/;SECTION=HEADER.FIELDS%20(SUBJECT);URLAUTH=authuser`),
    );
    expect(await c.ok(`a4 URLFETCH ${quote(section)}`)).toEqual([
      `* URLFETCH ${quote(section)} {19}\r\nSubject: Signed\r\n\r\n`,
    ]);
    const part = await genurlauth(
      c,
      "a5",
      urlOf(email, `;UID=${uid}/;SECTION=TEXT/;PARTIAL=4.4;URLAUTH=anonymous`),
    );
    expect(await c.ok(`a6 URLFETCH ${quote(part)}`)).toEqual([`* URLFETCH ${quote(part)} {4}\r\nbody`]);
  }, 20_000);

  test("URLFETCH: a wrong token, an expired URL, a missing message, a foreign mechanism are NIL, each alone", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const c = await f.client(email);
    const signed = await genurlauth(c, "a1", urlOf(email, `;UID=${uid};URLAUTH=anonymous`));
    const forged = signed.replace(/[0-9a-f]{8}$/, "00000000");
    const expired = await genurlauth(
      c,
      "a2",
      urlOf(email, `;UID=${uid};EXPIRE=2001-01-01T00:00:00Z;URLAUTH=anonymous`),
    );
    const missing = await genurlauth(c, "a3", urlOf(email, `;UID=${uid + 100};URLAUTH=anonymous`));
    const foreign = signed.replace(":INTERNAL:", ":OTHER:");
    const r = await c.transact(
      `a4 URLFETCH ${quote(forged)} ${quote(expired)} ${quote(missing)} ${quote(foreign)} "imap://x" ${quote(signed)}`,
    );
    expect(r.tagged).toBe("a4 OK URLFETCH completed");
    expect(r.untagged).toEqual([
      `* URLFETCH ${quote(forged)} NIL`,
      `* URLFETCH ${quote(expired)} NIL`,
      `* URLFETCH ${quote(missing)} NIL`,
      `* URLFETCH ${quote(foreign)} NIL`,
      '* URLFETCH "imap://x" NIL',
      `* URLFETCH ${quote(signed)} {${RAW.length}}\r\n${RAW}`,
    ]);
    expect((await c.transact("a5 URLFETCH")).tagged).toBe("a5 BAD URLFETCH: missing URL");
  }, 20_000);

  test("access: user+ admits only that user, authuser any account of the application, never another application", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const owner = await f.client(email);
    const { email: colleague } = await f.account();
    const forOwner = await genurlauth(owner, "a1", urlOf(email, `;UID=${uid};URLAUTH=user+${email}`));
    const forColleague = await genurlauth(owner, "a2", urlOf(email, `;UID=${uid};URLAUTH=user+${colleague}`));
    const forAnyUser = await genurlauth(owner, "a3", urlOf(email, `;UID=${uid};URLAUTH=authuser`));
    const forSubmit = await genurlauth(owner, "a4", urlOf(email, `;UID=${uid};URLAUTH=submit+${email}`));

    const c = await f.client(colleague);
    const r = await c.transact(
      `b1 URLFETCH ${quote(forOwner)} ${quote(forColleague)} ${quote(forAnyUser)} ${quote(forSubmit)}`,
    );
    expect(r.untagged).toEqual([
      `* URLFETCH ${quote(forOwner)} NIL`,
      `* URLFETCH ${quote(forColleague)} {${RAW.length}}\r\n${RAW}`,
      `* URLFETCH ${quote(forAnyUser)} {${RAW.length}}\r\n${RAW}`,
      `* URLFETCH ${quote(forSubmit)} NIL`,
    ]);

    const stranger = await otherApplicationClient();
    expect(await stranger.ok(`c1 URLFETCH ${quote(forAnyUser)}`)).toEqual([
      `* URLFETCH ${quote(forAnyUser)} NIL`,
    ]);
  }, 20_000);

  test("RESETKEY: errors; one mailbox's key, or all; another session's URLs stop working", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const c = await f.client(email);
    expect((await c.transact("a1 RESETKEY Nope")).tagged).toBe(
      'a1 NO [NONEXISTENT] mailbox "Nope" does not exist',
    );
    expect((await c.transact("a2 RESETKEY INBOX XOAUTH")).tagged).toBe(
      "a2 NO unsupported URLAUTH mechanism XOAUTH",
    );
    await c.ok("a3 CREATE Other");
    const inbox = await genurlauth(c, "a4", urlOf(email, `;UID=${uid};URLAUTH=authuser`));
    const d = await f.client(email);
    expect((await d.ok(`b1 URLFETCH ${quote(inbox)}`))[0]).toEndWith(RAW);

    await c.ok("a5 RESETKEY Other INTERNAL");
    expect((await d.ok(`b2 URLFETCH ${quote(inbox)}`))[0]).toEndWith(RAW);
    expect(await c.transact("a6 RESETKEY INBOX")).toEqual({
      untagged: [],
      tagged: "a6 OK RESETKEY completed",
    });
    expect(await d.ok(`b3 URLFETCH ${quote(inbox)}`)).toEqual([`* URLFETCH ${quote(inbox)} NIL`]);

    const again = await genurlauth(c, "a7", urlOf(email, `;UID=${uid};URLAUTH=authuser`));
    expect(again).not.toBe(inbox);
    expect((await d.ok(`b4 URLFETCH ${quote(again)}`))[0]).toEndWith(RAW);
    await c.ok("a8 RESETKEY");
    expect(await d.ok(`b5 URLFETCH ${quote(again)}`)).toEqual([`* URLFETCH ${quote(again)} NIL`]);
  }, 20_000);

  test("UIDVALIDITY in the URL must hold; CAPABILITY says URLAUTH", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, RAW);
    const c = await f.client(email);
    const select = await c.ok("a1 EXAMINE INBOX");
    const validity = /UIDVALIDITY (\d+)/.exec(select.join("\n"))?.[1];
    const good = await genurlauth(
      c,
      "a2",
      urlOf(email, `;UIDVALIDITY=${validity}/;UID=${uid};URLAUTH=authuser`).replace(
        "INBOX/;UIDVALIDITY",
        "INBOX;UIDVALIDITY",
      ),
    );
    expect((await c.ok(`a3 URLFETCH ${quote(good)}`))[0]).toEndWith(RAW);
    const stale = urlOf(email, `;UID=${uid};URLAUTH=authuser`).replace("INBOX/", "INBOX;UIDVALIDITY=1/");
    expect((await c.transact(`a4 GENURLAUTH ${quote(stale)} INTERNAL`)).tagged).toBe(
      "a4 NO invalid URL: no such mailbox",
    );
    expect((await c.ok("a5 CAPABILITY"))[0]).toContain(" URLAUTH ");
  }, 20_000);
});

/** A message whose part 1 is base64 text ("hello world", no newline) and part 2 an unknown encoding. */
const MULTI = [
  "From: a@example.com",
  "Subject: parts",
  'Content-Type: multipart/mixed; boundary="b"',
  "",
  "--b",
  "Content-Type: text/plain; charset=us-ascii",
  "Content-Transfer-Encoding: base64",
  "",
  "aGVsbG8g",
  "d29ybGQ=",
  "--b",
  "Content-Type: application/octet-stream",
  "Content-Transfer-Encoding: x-uuencode",
  "",
  "begin 644 x",
  "--b--",
  "",
].join("\r\n");

describe("URLFETCH parameters (URLAUTH=BINARY, RFC 5524)", () => {
  test("errors: an unknown parameter, a URL missing from the list", async () => {
    const { email } = await f.account();
    const c = await f.client(email);
    expect((await c.transact('a1 URLFETCH ("imap://h/INBOX/;UID=1" TEXT)')).tagged).toBe(
      "a1 BAD URLFETCH: unknown URLFETCH parameter",
    );
    expect((await c.transact("a2 URLFETCH ()")).tagged).toBe("a2 BAD URLFETCH: missing URL");
    expect(await c.ok('a3 URLFETCH ("imap://h/INBOX/;UID=1" BINARY)')).toEqual([
      '* URLFETCH "imap://h/INBOX/;UID=1" NIL',
    ]);
  }, 20_000);

  test("BINARY decodes (a literal8), BODY does not, BODYPARTSTRUCTURE is the part's, decoded sizes beside BINARY", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, MULTI);
    const c = await f.client(email);
    const part = await genurlauth(c, "a1", urlOf(email, `;UID=${uid}/;SECTION=1;URLAUTH=authuser`));
    const structure = '("text" "plain" ("charset" "us-ascii") NIL NIL "base64" 18 1 NIL NIL NIL NIL)';
    const decoded = '("text" "plain" ("charset" "us-ascii") NIL NIL "base64" 11 0 NIL NIL NIL NIL)';
    expect(await c.ok(`a2 URLFETCH (${quote(part)} BINARY)`)).toEqual([
      `* URLFETCH ${quote(part)} (BINARY ~{11}\r\nhello world)`,
    ]);
    expect(await c.ok(`a3 URLFETCH (${quote(part)} BODY BODYPARTSTRUCTURE)`)).toEqual([
      `* URLFETCH ${quote(part)} (BODYPARTSTRUCTURE ${structure} BODY {18}\r\naGVsbG8g\r\nd29ybGQ=)`,
    ]);
    expect(await c.ok(`a4 URLFETCH (${quote(part)} BINARY BODYPARTSTRUCTURE) ${quote(part)}`)).toEqual([
      `* URLFETCH ${quote(part)} (BODYPARTSTRUCTURE ${decoded} BINARY ~{11}\r\nhello world)`,
      `* URLFETCH ${quote(part)} {18}\r\naGVsbG8g\r\nd29ybGQ=`,
    ]);
  }, 20_000);

  test("an encoding that cannot be decoded is BINARY NIL; BODYPARTSTRUCTURE of a section that is no part is NIL", async () => {
    const { email, grantId } = await f.account();
    const { uid } = await deliver(f, grantId, MULTI);
    const c = await f.client(email);
    const odd = await genurlauth(c, "a1", urlOf(email, `;UID=${uid}/;SECTION=2;URLAUTH=authuser`));
    expect(await c.ok(`a2 URLFETCH (${quote(odd)} BINARY BODYPARTSTRUCTURE)`)).toEqual([
      `* URLFETCH ${quote(odd)} (BODYPARTSTRUCTURE ("application" "octet-stream" NIL NIL NIL "x-uuencode" 11 NIL NIL NIL NIL) BINARY NIL)`,
    ]);
    const header = await genurlauth(c, "a3", urlOf(email, `;UID=${uid}/;SECTION=HEADER;URLAUTH=authuser`));
    expect(await c.ok(`a4 URLFETCH (${quote(header)} BODYPARTSTRUCTURE)`)).toEqual([
      `* URLFETCH ${quote(header)} NIL`,
    ]);
    const headerText =
      'From: a@example.com\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n';
    expect(await c.ok(`a5 URLFETCH (${quote(header)} BINARY)`)).toEqual([
      `* URLFETCH ${quote(header)} (BINARY {${headerText.length}}\r\n${headerText})`,
    ]);
    expect((await c.ok("a6 CAPABILITY"))[0]).toContain(" URLAUTH URLAUTH=BINARY ");
  }, 20_000);
});
