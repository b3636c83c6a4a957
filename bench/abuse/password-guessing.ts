/**
 * Password guessing against IMAP and SMTP submission, each phase from a loopback address of its
 * own (so one phase's per-address count does not spill into the next, nor into other clients):
 *
 *  A. 40 wrong IMAP LOGINs at once, one account.          Before: all 40 checked (limit 10).
 *  B. 40 wrong SMTP AUTHs at once, one account.           Before: all 40 checked (no per-account limit).
 *  C. SMTP, "a success resets the count": log in to one's own account, then one wrong guess at
 *     another account, 36 times.                          Before: 36 wrong guesses in 9.5 s.
 *  D. The same trick through IMAP.
 *
 * A guess is "checked" when the answer is a wrong-password one (NO [AUTHENTICATIONFAILED] /
 * 535 5.7.8), "refused" when it is the limit's (NO [UNAVAILABLE] / 454 4.7.0, password unchecked).
 * The accounts guessed at are made for the run (the target's own account is left alone). Bounded:
 * 30 s a phase.
 */
import { imapQuote, LineClient, plainAuth, smtpReply } from "./line-client.ts";
import {
  type AbuseScenario,
  type AbuseTarget,
  bounded,
  createAccount,
  type Figures,
  limitsOf,
  PASSWORD,
  runStandalone,
} from "./standalone.ts";

const WRONG = "Wr0ngGuessWrongGuess1";
const PHASE_MS = 30_000;

type Answer = "checked" | "refused" | "ok" | "other";

async function imapLogin(
  target: AbuseTarget,
  email: string,
  password: string,
  from: string,
): Promise<Answer> {
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
}

async function smtpAuth(
  target: AbuseTarget,
  email: string,
  password: string,
  from: string,
): Promise<Answer | "ok"> {
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
}

function tally(answers: string[]): { checked: number; refused: number; other: number } {
  return {
    checked: answers.filter((a) => a === "checked").length,
    refused: answers.filter((a) => a === "refused").length,
    other: answers.filter((a) => a !== "checked" && a !== "refused").length,
  };
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

export const scenario: AbuseScenario = {
  name: "password guessing (IMAP and SMTP, concurrent and 'success resets the count')",
  async run(target): Promise<Figures> {
    const limits = limitsOf(target);
    const rounds = 36;
    const [victimA, victimB, ownC, ownD] = await Promise.all([
      createAccount(target, "guess-a"),
      createAccount(target, "guess-b"),
      createAccount(target, "own-c"),
      createAccount(target, "own-d"),
    ]);
    // Victims of the trick need no app password: they answer exactly like those that have one.
    const victims = await Promise.all(
      Array.from({ length: rounds }, (_, i) => createAccount(target, `victim-${i}`, null)),
    );
    const out: Figures = {
      "configured: wrong per account / per address": `${limits.loginFailuresPerAccount} / ${limits.loginFailuresPerIp} a window`,
    };

    let t = performance.now();
    const a = tally(
      await bounded(
        Promise.all(Array.from({ length: 40 }, () => imapLogin(target, victimA.email, WRONG, "127.0.0.2"))),
        PHASE_MS,
        [],
      ),
    );
    out["A. IMAP 40 at once, one account: checked / refused"] = `${a.checked} / ${a.refused} (${seconds(t)})`;

    t = performance.now();
    const b = tally(
      await bounded(
        Promise.all(Array.from({ length: 40 }, () => smtpAuth(target, victimB.email, WRONG, "127.0.0.3"))),
        PHASE_MS,
        [],
      ),
    );
    out["B. SMTP 40 at once, one account: checked / refused"] = `${b.checked} / ${b.refused} (${seconds(t)})`;

    const trick = async (login: typeof smtpAuth | typeof imapLogin, own: { email: string }, from: string) => {
      const guesses: string[] = [];
      let ownRefused = 0;
      for (const victim of victims) {
        const mine = await login(target, own.email, PASSWORD, from);
        if (mine === "refused") ownRefused += 1;
        guesses.push(await login(target, victim.email, WRONG, from));
      }
      return { ...tally(guesses), ownRefused };
    };
    t = performance.now();
    const empty = { checked: 0, refused: 0, other: 0, ownRefused: 0 };
    const c = await bounded(trick(smtpAuth, ownC, "127.0.0.4"), PHASE_MS, empty);
    out[`C. SMTP own login + wrong guess × ${rounds}: checked / refused`] =
      `${c.checked} / ${c.refused} (${seconds(t)}; own logins refused: ${c.ownRefused})`;

    t = performance.now();
    const d = await bounded(trick(imapLogin, ownD, "127.0.0.5"), PHASE_MS, empty);
    out[`D. IMAP own login + wrong guess × ${rounds}: checked / refused`] =
      `${d.checked} / ${d.refused} (${seconds(t)}; own logins refused: ${d.ownRefused})`;

    const held =
      a.checked <= limits.loginFailuresPerAccount &&
      b.checked <= limits.loginFailuresPerAccount &&
      c.checked <= limits.loginFailuresPerIp &&
      d.checked <= limits.loginFailuresPerIp;
    out["target: at most the configured wrong attempts"] = held ? "met" : "MISSED";
    return out;
  },
};

if (import.meta.main) await runStandalone(scenario);
