/**
 * IMAP SORT and THREAD on a 10,000-message folder (issue 13): `SORT (DATE)` and
 * `THREAD REFERENCES` < 100 ms, over TLS against the real server in this process, timed from
 * the command sent to its tagged OK. The folder holds conversations of 1 to 8 messages (replies
 * with References chains, "Re:"/"Fwd:"/"[list]" subjects, some without a Date header). Then
 * every raw message is blanked and each command run again: the same answers show that neither
 * reads a raw message (they read the keys kept on the message rows).
 * Run: node_modules/.bin/bun bench/imap-sort.ts [folderSize=10000] [rounds=7]
 */
import { api, startTestServer } from "../test/support/server.ts";
import { Client } from "./imap-client.ts";
import { machine, median, report } from "./lib.ts";

const folderSize = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 7);
const PASSWORD = "MySecureP4ssword2024x";
const WORDS =
  "invoice meeting report project deadline budget launch customer ticket order design contract".split(" ");
const PREFIXES = ["Re: ", "RE: ", "Re: [team] ", "Fwd: ", "Re: Re: "];

/** Message `i` of the folder: conversation `i >> 3`, of `1 + conversation % 8` messages. */
function threadedMessage(i: number): { raw: Uint8Array; arrival: number } {
  const conversation = Math.floor(i / 8);
  const length = 1 + (conversation % 8);
  const position = i % 8;
  const n = position < length ? position : 0; // beyond its length: a new root of the same subject
  const subject = `${WORDS[conversation % WORDS.length]} ${WORDS[(conversation * 7) % WORDS.length]} #${conversation}`;
  const id = (k: number) => `<c${conversation}-${k}-${i - position}@bench.example>`;
  const sent = 1_700_000_000 + conversation * 3600 + n * 60;
  const headers = [
    `From: Person ${i % 97} <person${i % 97}@example${i % 13}.com>`,
    `To: ${i % 5 === 0 ? "team: a@x.example, b@x.example;" : `<peer${i % 31}@example.org>`}`,
    `Subject: ${n === 0 ? subject : `${PREFIXES[i % PREFIXES.length]}${subject}`}`,
    ...(i % 17 === 0 ? [] : [`Date: ${new Date(sent * 1000).toUTCString()}`]),
    `Message-ID: ${n === 0 ? id(0) : id(n)}`,
    ...(n === 0 ? [] : [`References: ${Array.from({ length: n }, (_, k) => id(k)).join(" ")}`]),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
  ];
  const body = `Message ${i} of conversation ${conversation}.\r\n`.repeat(1 + (i % 20));
  return {
    raw: new TextEncoder().encode(`${headers.join("\r\n")}\r\n\r\n${body}`),
    arrival: sent + (i % 11) * 7,
  };
}

const t = await startTestServer({ AGENTBOX_LOG_LEVEL: "error" });
console.log(`# IMAP SORT / THREAD benchmark — ${machine()}`);
const email = `sort-${crypto.randomUUID().slice(0, 8)}@agents.localhost`;
const created = await api(t, "POST", "/v3/connect/custom", {
  provider: "nylas",
  settings: { email, app_password: PASSWORD },
});
if (created.status !== 201) throw new Error(`account: ${created.status}`);
const grantId = created.body.data.id as string;

const loadStart = performance.now();
for (let i = 0; i < folderSize; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, folderSize - i) }, (_, j) => {
      const m = threadedMessage(i + j);
      return t.server.mailboxes.ask(grantId, "append", {
        folderId: "inbox",
        raw: m.raw,
        internalDate: m.arrival,
        flags: { seen: (i + j) % 3 !== 0 },
      });
    }),
  );
}
const loadS = (performance.now() - loadStart) / 1000;

const c = await Client.open(t.server.ports.imaps);
await c.run(`LOGIN "${email}" "${PASSWORD}"`);
const selected = await c.run("SELECT INBOX");
if (!selected.includes(`* ${folderSize} EXISTS`)) throw new Error(`SELECT: ${selected.join(" | ")}`);

const COMMANDS = [
  "SORT (DATE) UTF-8 ALL",
  "UID SORT (REVERSE DATE) UTF-8 ALL",
  "SORT (SUBJECT DATE) UTF-8 ALL",
  "SORT (FROM) UTF-8 ALL",
  "SORT (DISPLAYTO) UTF-8 ALL",
  "SORT (DATE) UTF-8 UNSEEN",
  "SORT RETURN (PARTIAL 1:50) (REVERSE ARRIVAL) UTF-8 ALL",
  "THREAD REFERENCES UTF-8 ALL",
  "THREAD ORDEREDSUBJECT UTF-8 ALL",
];

/** Median and worst time of `rounds` runs of each command, and each answer. */
async function measure(): Promise<Map<string, { median: number; worst: number; answer: string }>> {
  const out = new Map<string, { median: number; worst: number; answer: string }>();
  for (const command of COMMANDS) {
    await c.run(command); // warm-up
    const times: number[] = [];
    let answer = "";
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      const lines = await c.run(command);
      times.push(performance.now() - started);
      answer = lines.join("\n").replace(/\(TAG "[^"]*"\)/, "(TAG)");
    }
    if (!/^\* (SORT|THREAD|ESEARCH)/.test(answer)) throw new Error(`${command}: ${answer.slice(0, 200)}`);
    out.set(command, { median: median(times), worst: Math.max(...times), answer });
  }
  return out;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const results = await measure();
const rows: Record<string, string> = {};
for (const [command, r] of results) rows[command] = `${ms(r.median)} (worst ${ms(r.worst)})`;
const target = (command: string) => (results.get(command)?.median ?? Infinity) < 100;
rows["target SORT (DATE), THREAD REFERENCES < 100 ms"] =
  target("SORT (DATE) UTF-8 ALL") && target("THREAD REFERENCES UTF-8 ALL") ? "met" : "MISSED";
report(
  `${folderSize}-message folder, median of ${rounds} (loaded at ${Math.round(folderSize / loadS)}/s)`,
  rows,
);

// Blank every raw message: an answer that needed one would change.
await t.server.store.writer.submit((tx) => tx.$client.prepare("UPDATE blobs SET data = X''").run());
const blanked = await measure();
const changed = [...results].filter(([command, r]) => blanked.get(command)?.answer !== r.answer);
const same = changed.length === 0;
for (const [command, r] of changed)
  console.log(
    `changed: ${command}\n  ${r.answer.slice(0, 300)}\n  ${blanked.get(command)?.answer.slice(0, 300)}`,
  );
report("with every raw message blanked", {
  "answers unchanged (no raw message read)": same ? "yes" : "NO",
  "SORT (DATE) UTF-8 ALL": ms(blanked.get("SORT (DATE) UTF-8 ALL")?.median ?? 0),
  "THREAD REFERENCES UTF-8 ALL": ms(blanked.get("THREAD REFERENCES UTF-8 ALL")?.median ?? 0),
});
if (c.bad.length > 0) console.log(`protocol errors: ${c.bad.join(" | ")}`);
c.close();
await t.stop();
