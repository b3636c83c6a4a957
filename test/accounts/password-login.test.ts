/**
 * App-password logins over the real IMAP and SMTP listeners: one budget of wrong guesses per
 * account and per client address, whatever the concurrency, whichever protocol, whatever else the
 * address logs into; refusals by the limit told apart from wrong passwords; accounts that cannot
 * log in answered like wrong passwords.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { median } from "../../bench/lib.ts";
import { PasswordLogins } from "../../src/accounts/password-login.ts";
import { OTHER_PASSWORD, uniqueEmail } from "../api/helpers.ts";
import { ImapClient, PASSWORD, quote } from "../imap/harness.ts";
import { plainAuth, SmtpWire } from "../smtp/support/wire.ts";
import { api, startTestServer, type TestServer } from "../support/server.ts";

const PER_ACCOUNT = 3;
const PER_IP = 6;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    AGENTBOX_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
    AGENTBOX_LOGIN_MAX_FAILURES_PER_IP: String(PER_IP),
  });
});
afterAll(() => t.stop());

/** Each test logs in from its own loopback address, so per-address counts do not mix. */
let nextHost = 10;
function freshAddress(): string {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

async function account(password: string | null = PASSWORD): Promise<string> {
  const email = uniqueEmail("login");
  const settings = password ? { email, app_password: password } : { email };
  const res = await api(t, "POST", "/v3/connect/custom", { provider: "nylas", settings });
  expect(res.status).toBe(201);
  return email;
}

/** One IMAP LOGIN on a connection of its own; the tagged reply. */
async function imapLogin(email: string, password: string, from: string): Promise<string> {
  const c = await ImapClient.connect(t.server.ports.imaps, { localAddress: from });
  try {
    return (await c.transact(`a LOGIN ${quote(email)} ${quote(password)}`)).tagged;
  } finally {
    c.close();
  }
}

/** One SMTP AUTH PLAIN on a connection of its own; the reply's code and text. */
async function smtpLogin(email: string, password: string, from: string): Promise<string> {
  const wire = await SmtpWire.open(t.server.ports.smtps, {
    tls: { ca: t.server.tls.cert },
    localAddress: from,
  });
  try {
    await wire.read();
    await wire.command("EHLO c");
    const r = await wire.command(`AUTH PLAIN ${plainAuth(email, password)}`);
    return `${r.code} ${r.text}`;
  } finally {
    wire.close();
  }
}

const WRONG = "Wr0ngPasswordWrongPass";
const IMAP_WRONG = "a NO [AUTHENTICATIONFAILED] Invalid email or app password";
const IMAP_LIMITED = /^a NO \[UNAVAILABLE\] Too many failed logins; try again in \d+ seconds$/;
const SMTP_WRONG = "535 5.7.8 authentication failed: wrong account email or app password";
const SMTP_LIMITED = /^454 4\.7\.0 too many failed logins; try again in \d+ s$/;

describe("concurrent guesses", () => {
  test("IMAP: of 40 wrong logins at once on one account, only the per-account limit is checked", async () => {
    const victim = await account();
    const from = freshAddress();
    const replies = await Promise.all(Array.from({ length: 40 }, () => imapLogin(victim, WRONG, from)));
    expect(replies.filter((r) => r === IMAP_WRONG)).toHaveLength(PER_ACCOUNT);
    expect(replies.filter((r) => IMAP_LIMITED.test(r))).toHaveLength(40 - PER_ACCOUNT);
    // Refused by the limit, the right password is not even checked.
    expect(await imapLogin(victim, PASSWORD, freshAddress())).toMatch(IMAP_LIMITED);
  }, 30_000);

  test("SMTP: 40 wrong AUTHs at once from one address, across accounts: the per-address limit holds", async () => {
    const from = freshAddress();
    // Accounts without an app password answer a guess exactly as others do, and cost no bcrypt to make.
    const victims = await Promise.all(Array.from({ length: 20 }, () => account(null)));
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => smtpLogin(victims[i % 20] as string, WRONG, from)),
    );
    expect(replies.filter((r) => r === SMTP_WRONG)).toHaveLength(PER_IP);
    expect(replies.filter((r) => SMTP_LIMITED.test(r))).toHaveLength(40 - PER_IP);
  }, 30_000);

  test("correct logins at once from one address wait for a slot instead of being refused", async () => {
    const from = freshAddress();
    const own = await account();
    const replies = await Promise.all(Array.from({ length: 12 }, () => imapLogin(own, PASSWORD, from)));
    for (const r of replies) expect(r).toStartWith("a OK [CAPABILITY");
  }, 30_000);
});

describe("a success does not clear the count", () => {
  test("SMTP: logging in to one's own account between guesses does not reset the per-address count", async () => {
    const from = freshAddress();
    const own = await account();
    const victims = await Promise.all(Array.from({ length: PER_IP + 2 }, () => account(null)));
    const replies: string[] = [];
    for (const [i, victim] of victims.entries()) {
      if (i < PER_IP) expect(await smtpLogin(own, PASSWORD, from)).toStartWith("235 ");
      replies.push(await smtpLogin(victim, WRONG, from));
    }
    expect(replies.slice(0, PER_IP)).toEqual(Array(PER_IP).fill(SMTP_WRONG));
    for (const r of replies.slice(PER_IP)) expect(r).toMatch(SMTP_LIMITED);
    // Blocked now, its own account included: the address has used its wrong guesses.
    expect(await smtpLogin(own, PASSWORD, from)).toMatch(SMTP_LIMITED);
  }, 30_000);

  test("IMAP: the same trick, through IMAP", async () => {
    const from = freshAddress();
    const own = await account();
    const victims = await Promise.all(Array.from({ length: PER_IP + 1 }, () => account(null)));
    const replies: string[] = [];
    for (const [i, victim] of victims.entries()) {
      if (i < PER_IP) expect(await imapLogin(own, PASSWORD, from)).toStartWith("a OK");
      replies.push(await imapLogin(victim, WRONG, from));
    }
    expect(replies.slice(0, PER_IP)).toEqual(Array(PER_IP).fill(IMAP_WRONG));
    expect(replies[PER_IP]).toMatch(IMAP_LIMITED);
  }, 30_000);

  test("the owner's success does not reset the per-account count either", async () => {
    const victim = await account();
    for (let i = 0; i < PER_ACCOUNT - 1; i++)
      expect(await imapLogin(victim, WRONG, freshAddress())).toBe(IMAP_WRONG);
    expect(await imapLogin(victim, PASSWORD, freshAddress())).toStartWith("a OK");
    expect(await imapLogin(victim, WRONG, freshAddress())).toBe(IMAP_WRONG);
    expect(await imapLogin(victim, WRONG, freshAddress())).toMatch(IMAP_LIMITED);
  }, 30_000);
});

describe("one budget for IMAP and SMTP", () => {
  test("wrong IMAP logins count against SMTP AUTH of the same account (a per-account limit on SMTP)", async () => {
    const victim = await account();
    for (let i = 0; i < PER_ACCOUNT; i++)
      expect(await imapLogin(victim, WRONG, freshAddress())).toBe(IMAP_WRONG);
    expect(await smtpLogin(victim, PASSWORD, freshAddress())).toMatch(SMTP_LIMITED);
  }, 30_000);
});

describe("accounts that cannot log in look like wrong passwords", () => {
  test("no app password: the same answer as a wrong password, on IMAP and SMTP", async () => {
    const bare = await account(null);
    expect(await imapLogin(bare, PASSWORD, freshAddress())).toBe(IMAP_WRONG);
    expect(await smtpLogin(bare, PASSWORD, freshAddress())).toBe(SMTP_WRONG);
  }, 30_000);

  test("no app password, unknown account and wrong password take alike long (each one bcrypt)", async () => {
    const time = async (email: string, via: "imap" | "smtp") => {
      const c =
        via === "imap"
          ? await ImapClient.connect(t.server.ports.imaps, { localAddress: freshAddress() })
          : null;
      const wire =
        via === "smtp"
          ? await SmtpWire.open(t.server.ports.smtps, {
              tls: { ca: t.server.tls.cert },
              localAddress: freshAddress(),
            })
          : null;
      if (wire) {
        await wire.read();
        await wire.command("EHLO c");
      }
      const started = performance.now();
      if (c) await c.transact(`a LOGIN ${quote(email)} ${quote(WRONG)}`);
      if (wire) await wire.command(`AUTH PLAIN ${plainAuth(email, WRONG)}`);
      const ms = performance.now() - started;
      c?.close();
      wire?.close();
      return ms;
    };
    for (const via of ["imap", "smtp"] as const) {
      const bare = await account(null);
      const real = await account(OTHER_PASSWORD);
      const wrong: number[] = [];
      const none: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 2; i++) {
        wrong.push(await time(real, via));
        none.push(await time(bare, via));
        unknown.push(await time(`ghost-${crypto.randomUUID()}@agents.localhost`, via));
      }
      // A bcrypt comparison is ~50–90 ms here; without one, a refusal takes about 1 ms.
      const floor = median(wrong) / 3;
      expect(median(none), via).toBeGreaterThan(floor);
      expect(median(unknown), via).toBeGreaterThan(floor);
    }
  }, 30_000);
});

describe("IPv6 clients", () => {
  test("the per-address budget counts an IPv6 client by its /64; another /64 has its own", async () => {
    const logins = new PasswordLogins(t.server.store, {
      maxFailuresPerAccount: 100,
      maxFailuresPerIp: 3,
      windowMs: 60_000,
    });
    const email = await account();
    const wrong = (from: string) => logins.login(email, OTHER_PASSWORD, from);
    for (const from of ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:3"]) {
      expect(await wrong(from)).toMatchObject({ ok: false, refused: "invalid" });
    }
    // A fourth address of the same /64 finds the budget spent; the right password is not checked.
    expect(await logins.login(email, PASSWORD, "2001:db8:1:2::4")).toMatchObject({
      ok: false,
      refused: "limited",
    });
    // Another /64, and an IPv4 client, are other budgets.
    expect(await logins.login(email, PASSWORD, "2001:db8:1:3::1")).toMatchObject({ ok: true });
    expect(await logins.login(email, PASSWORD, "192.0.2.1")).toMatchObject({ ok: true });
  });
});
