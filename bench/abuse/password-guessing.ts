/**
 * Password guessing against IMAP and SMTP submission, each phase from a loopback address of its
 * own (127.0.0.2–.5: one phase's per-address count does not spill into the next, nor onto the
 * runner's probes on 127.0.0.1):
 *
 *  A. 40 wrong IMAP LOGINs at once, one account.          Before issue 12: all 40 checked (limit 10).
 *  B. 40 wrong SMTP AUTHs at once, one account.           Before: all 40 checked (no per-account limit).
 *  C. SMTP, "a success resets the count": log in to one's own account, then one wrong guess at
 *     another account, 36 times.                          Before: 36 wrong guesses in 9.5 s.
 *  D. The same trick through IMAP.
 *
 * A guess is "checked" when the answer is a wrong-password one (NO [AUTHENTICATIONFAILED] /
 * 535 5.7.8), "refused" when it is the limit's (NO [UNAVAILABLE] / 454 4.7.0, password unchecked).
 * The accounts guessed at are made for the run (the target's own account is left alone). Target:
 * at most the configured wrong attempts per account (A, B) and per address (C, D). Each phase is
 * bounded at 20 s, and counts what was answered by then.
 */
import { createAccount } from "./accounts.ts";
import { bounded } from "./bounded.ts";
import { imapQuote, LineClient, plainAuth, smtpReply } from "./line-client.ts";
import type { AbuseScenario, AbuseTarget } from "./scenario.ts";

const PER_ACCOUNT = 10;
const PER_ADDRESS = 30;
const PASSWORD = "AbuseBenchPassw0rd123";
const WRONG = "Wr0ngGuessWrongGuess1";
const AT_ONCE = 40;
const ROUNDS = 36;
const PHASE_MS = 20_000;

type Answer = "checked" | "refused" | "ok" | "other";
type Login = (target: AbuseTarget, email: string, password: string, from: string) => Promise<Answer>;

const imapLogin: Login = async (target, email, password, from) => {
  const c = await LineClient.connect(target.ports.imaps, { tls: true, from });
  try {
    await c.line();
    c.write(`g LOGIN ${imapQuote(email)} ${imapQuote(password)}\r\n`);
    const tagged = (await c.until("g "))?.at(-1) ?? "";
    if (tagged.startsWith("g NO [AUTHENTICATIONFAILED]")) return "checked";
    if (tagged.startsWith("g NO [UNAVAILABLE]")) return "refused";
    return tagged.startsWith("g OK") ? "ok" : "other";
  } finally {
    c.close();
  }
};

const smtpAuth: Login = async (target, email, password, from) => {
  const c = await LineClient.connect(target.ports.smtps, { tls: true, from });
  try {
    await smtpReply(c);
    c.write("EHLO guesser.example\r\n");
    await smtpReply(c);
    c.write(`AUTH PLAIN ${plainAuth(email, password)}\r\n`);
    const reply = (await smtpReply(c)) ?? "";
    if (reply.startsWith("535 5.7.8")) return "checked";
    if (reply.startsWith("454 4.7.0")) return "refused";
    return reply.startsWith("235") ? "ok" : "other";
  } finally {
    c.close();
  }
};

/** One attempt whose failure to connect or answer counts as "other", not as the run's end. */
const attempt = (login: Login, ...args: Parameters<Login>) => login(...args).catch((): Answer => "other");

interface Tally {
  checked: number;
  refused: number;
  other: number;
  ms: number;
}

function tally(answers: Answer[], since: number): Tally {
  const count = (a: Answer) => answers.filter((x) => x === a).length;
  return {
    checked: count("checked"),
    refused: count("refused"),
    other: answers.length - count("checked") - count("refused"),
    ms: performance.now() - since,
  };
}

/** `AT_ONCE` wrong guesses at one account, all started together. */
async function atOnce(target: AbuseTarget, login: Login, victim: string, from: string, signal: AbortSignal) {
  const since = performance.now();
  const answers: Answer[] = [];
  const all = Array.from({ length: AT_ONCE }, () =>
    attempt(login, target, victim, WRONG, from).then((a) => answers.push(a)),
  );
  await bounded(Promise.all(all), PHASE_MS, signal, []);
  return tally(answers, since);
}

/** Log in to one's own account, then one wrong guess at another, round after round. */
async function successBetweenGuesses(
  target: AbuseTarget,
  login: Login,
  own: string,
  victims: string[],
  from: string,
  signal: AbortSignal,
) {
  const since = performance.now();
  const guesses: Answer[] = [];
  let ownRefused = 0;
  for (const victim of victims) {
    if (signal.aborted || performance.now() - since > PHASE_MS) break;
    if ((await attempt(login, target, own, PASSWORD, from)) !== "ok") ownRefused += 1;
    guesses.push(await attempt(login, target, victim, WRONG, from));
  }
  return { ...tally(guesses, since), ownRefused };
}

const show = (t: Tally) =>
  `${t.checked} checked / ${t.refused} refused${t.other ? ` / ${t.other} other` : ""} in ${(t.ms / 1000).toFixed(1)} s`;

const scenario: AbuseScenario = {
  name: "password guessing",
  env: {
    AGENTBOX_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
    AGENTBOX_LOGIN_MAX_FAILURES_PER_IP: String(PER_ADDRESS),
    AGENTBOX_LOGIN_FAILURE_WINDOW_S: "60",
  },
  budgetMs: 4 * PHASE_MS + 15_000,
  async run(target, signal) {
    const [victimA, victimB, ownC, ownD] = await Promise.all([
      createAccount(target, "guess-a", PASSWORD),
      createAccount(target, "guess-b", PASSWORD),
      createAccount(target, "own-c", PASSWORD),
      createAccount(target, "own-d", PASSWORD),
    ]);
    // Victims of the trick need no app password: they answer exactly like those that have one.
    const victims = await Promise.all(
      Array.from({ length: ROUNDS }, (_, i) => createAccount(target, `victim-${i}`, null)),
    );
    const emails = victims.map((v) => v.email);
    const a = await atOnce(target, imapLogin, victimA.email, "127.0.0.2", signal);
    const b = await atOnce(target, smtpAuth, victimB.email, "127.0.0.3", signal);
    const c = await successBetweenGuesses(target, smtpAuth, ownC.email, emails, "127.0.0.4", signal);
    const d = await successBetweenGuesses(target, imapLogin, ownD.email, emails, "127.0.0.5", signal);
    const met =
      a.checked <= PER_ACCOUNT &&
      b.checked <= PER_ACCOUNT &&
      c.checked <= PER_ADDRESS &&
      d.checked <= PER_ADDRESS;
    return [
      `A. IMAP ${AT_ONCE} at once, one account: ${show(a)}`,
      `B. SMTP ${AT_ONCE} at once, one account: ${show(b)}`,
      `C. SMTP own login + wrong guess ×${ROUNDS}: ${show(c)} (own logins refused ${c.ownRefused})`,
      `D. IMAP the same: ${show(d)} (own logins refused ${d.ownRefused})`,
      `limits ${PER_ACCOUNT} an account / ${PER_ADDRESS} an address a minute: ${met ? "met" : "MISSED"}`,
    ].join("; ");
  },
};

export default scenario;
