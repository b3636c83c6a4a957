/**
 * The rule engine (issue 14). Two targets:
 *
 *  1. One evaluation with 1,000 rules in force and lists of 100,000 items: p99 < 1 ms. In this
 *     process, on a real store: the account's governance (cached), the one list look-up and the
 *     rules, exactly as the MX's `checkRules` runs them, for senders of which some are listed.
 *  2. MX ingest with 50 enabled rules and a 100,000-item list within 10 % of ingest without
 *     rules, measured as a pair in one run: one server process (`bun src/main.ts serve`), two
 *     accounts, one governed by the 50 rules (every message evaluated and recorded) and one by
 *     none; rounds alternate between them so the machine's noise falls on both.
 *
 * Run: node_modules/.bin/bun bench/rules.ts [evaluations=20000] [messages per round=1000] [rounds=5]
 * BENCH_PHASES=1 (or 2) runs only that part.
 */

import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { Guardrails } from "../src/guardrails/governance.ts";
import { addListItems, createList } from "../src/guardrails/lists.ts";
import { checkRules } from "../src/guardrails/rule-check.ts";
import { createRule } from "../src/guardrails/rules.ts";
import { defaultWorkspaceIn } from "../src/guardrails/workspaces.ts";
import { evaluationInput } from "../src/rule-engine/address-parts.ts";
import { workspaces } from "../src/store/schema.ts";
import { startTestDnsServer } from "../test/support/dns-server.ts";
import { insertGrant } from "../test/support/grant.ts";
import { freePort, spawnServer } from "../test/support/process.ts";
import { openTempStore } from "../test/support/store.ts";
import { machine, median, percentile, report } from "./lib.ts";

const EVALUATIONS = Number(process.argv[2] ?? 20_000);
const PER_ROUND = Number(process.argv[3] ?? 1000);
const ROUNDS = Number(process.argv[4] ?? 5);
const LIST_ITEMS = 100_000;
const SESSIONS = 20;

// --- 1. one evaluation: 1,000 rules, lists of 100,000 items ----------------------------------
async function evaluationLatency(): Promise<Record<string, string | number>> {
  const { store, cleanup } = await openTempStore();
  const { applicationId } = await insertGrant(store);
  const domains = await createList(store, applicationId, {
    name: "domains",
    description: null,
    type: "domain",
  });
  const addresses = await createList(store, applicationId, {
    name: "addresses",
    description: null,
    type: "address",
  });
  const t0 = performance.now();
  for (let i = 0; i < LIST_ITEMS; i += 1000) {
    const batch = Array.from({ length: 1000 }, (_, j) => i + j);
    await addListItems(
      store,
      domains,
      batch.map((n) => `d${n}.example`),
    );
    await addListItems(
      store,
      addresses,
      batch.map((n) => `u${n}@a${n % 997}.example`),
    );
  }
  const fillS = (performance.now() - t0) / 1000;
  const ruleIds: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const kind = i % 4;
    const condition =
      kind === 0
        ? { field: "from.domain", operator: "is", value: `r${i}.example` }
        : kind === 1
          ? { field: "from.address", operator: "contains", value: `needle${i}` }
          : kind === 2
            ? { field: "from.domain", operator: "in_list", value: [domains.id] }
            : { field: "from.address", operator: "in_list", value: [addresses.id] };
    const rule = await createRule(store, applicationId, {
      name: `rule ${i}`,
      description: null,
      priority: i % 1000,
      enabled: true,
      trigger: "inbound",
      match: { operator: "all", conditions: [condition as never] },
      actions: [{ type: i % 2 ? "mark_as_read" : "mark_as_starred" }],
    });
    ruleIds.push(rule.id);
  }
  await store.writer.submit((tx) => {
    const ws = defaultWorkspaceIn(tx, applicationId);
    tx.update(workspaces)
      .set({ ruleIdsJson: JSON.stringify(ruleIds) })
      .where(eq(workspaces.id, ws.id))
      .run();
  });
  const guardrails = new Guardrails(store, {
    maxMessageBytes: 1 << 30,
    storageQuotaBytes: 1 << 30,
    dailySendLimit: 100,
  });
  const grant = { applicationId, workspaceId: null, settingsJson: "{}" };
  const senders = Array.from({ length: 1000 }, (_, i) =>
    i % 3 === 0
      ? `u${i * 37}@a${(i * 37) % 997}.example`
      : i % 3 === 1
        ? `x@d${i * 91}.example`
        : `x${i}@nowhere.example`,
  );
  const times: number[] = [];
  let matched = 0;
  for (let i = 0; i < EVALUATIONS + 1000; i++) {
    const input = evaluationInput(senders[i % senders.length]);
    const start = performance.now();
    const check = checkRules(store, guardrails.forGrant(grant).inbound, input);
    const elapsed = performance.now() - start;
    if (check.kind !== "verdict") throw new Error(`evaluation ${check.kind}`);
    if (i >= 1000) {
      times.push(elapsed);
      if (check.verdict.matchedRuleIds.length > 0) matched++;
    }
  }
  await cleanup();
  return {
    "rules in force": guardrails.forGrant(grant).inbound.rules.length,
    "list items (2 lists)": 2 * LIST_ITEMS,
    "filling the lists (1,000 a unit)": `${fillS.toFixed(1)} s`,
    evaluations: EVALUATIONS,
    "evaluations that matched a rule": matched,
    "p50 per evaluation": `${(percentile(times, 50) * 1000).toFixed(0)} µs`,
    "p99 per evaluation": `${(percentile(times, 99) * 1000).toFixed(0)} µs`,
    "max per evaluation": `${(Math.max(...times) * 1000).toFixed(0)} µs`,
    "target p99 < 1 ms": percentile(times, 99) < 1 ? "met" : "NOT met",
  };
}

// --- 2. MX ingest with and without rules, as a pair ------------------------------------------

/** A process's CPU time (user + system), in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const API_KEY = `abx_bench_${crypto.randomUUID()}`;

async function mxPair(): Promise<Record<string, string | number>> {
  const dns = await startTestDnsServer();
  dns.set("bench.example", "TXT", ["v=spf1 ip4:127.0.0.1 -all"]);
  const mx = freePort();
  const server = spawnServer({
    AGENTBOX_API_KEY: API_KEY,
    AGENTBOX_MX_PORT: String(mx),
    AGENTBOX_DNS_SERVER: dns.address,
    AGENTBOX_LOG_LEVEL: "warn",
    AGENTBOX_STORAGE_QUOTA_BYTES: String(2 ** 40),
  });
  await server.ready(20_000);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { data: any };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const list = await call("POST", "/v3/lists", { name: "blocked", type: "domain" });
  for (let i = 0; i < LIST_ITEMS; i += 1000) {
    await call("POST", `/v3/lists/${list.id}/items`, {
      items: Array.from({ length: 1000 }, (_, j) => `blocked${i + j}.example`),
    });
  }
  const ruleIds: string[] = [];
  for (let i = 0; i < 50; i++) {
    const rule = await call("POST", "/v3/rules", {
      name: `rule ${i}`,
      priority: i,
      match: {
        conditions: [
          i === 0
            ? { field: "from.domain", operator: "in_list", value: [list.id] }
            : { field: "from.domain", operator: i % 2 ? "is" : "contains", value: `other${i}.example` },
        ],
      },
      actions: [i === 0 ? { type: "block" } : { type: "mark_as_starred" }],
    });
    ruleIds.push(rule.id);
  }
  const policy = await call("POST", "/v3/policies", { name: "50 rules", rules: ruleIds });
  const plain = await call("POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: `plain-${crypto.randomUUID().slice(0, 8)}@agents.localhost` },
  });
  const ruled = await call("POST", "/v3/connect/custom", {
    provider: "nylas",
    settings: { email: `ruled-${crypto.randomUUID().slice(0, 8)}@agents.localhost`, policy_id: policy.id },
  });
  const body = `${"The quick brown fox jumps over the lazy dog. ".repeat(227)}\r\n`;
  const message = (to: string, i: number) =>
    `From: News <news@bench.example>\r\nTo: ${to}\r\nSubject: bench ${i}\r\n` +
    `Message-ID: <b-${crypto.randomUUID()}@bench.example>\r\nDate: ${new Date().toUTCString()}\r\n\r\n${body}`;
  const transports = Array.from({ length: SESSIONS }, () =>
    nodemailer.createTransport({
      host: "127.0.0.1",
      port: mx,
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
      ignoreTLS: true,
      name: "client.bench.example",
      logger: false,
    }),
  );
  const pid = server.proc.pid;
  const round = async (to: string, n: number): Promise<{ rate: number; cpuUs: number }> => {
    let next = 0;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    await Promise.all(
      transports.map(async (transport) => {
        while (next < n) {
          const i = next++;
          await transport.sendMail({
            envelope: { from: "bounce@bench.example", to: [to] },
            raw: message(to, i),
          });
        }
      }),
    );
    return { rate: n / ((performance.now() - t0) / 1000), cpuUs: ((cpuMs(pid) - cpu0) * 1000) / n };
  };
  await round(plain.email, 300);
  await round(ruled.email, 300);
  const without: { rate: number; cpuUs: number }[] = [];
  const withRules: { rate: number; cpuUs: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so neither always follows the other.
    if (r % 2 === 0) {
      without.push(await round(plain.email, PER_ROUND));
      withRules.push(await round(ruled.email, PER_ROUND));
    } else {
      withRules.push(await round(ruled.email, PER_ROUND));
      without.push(await round(plain.email, PER_ROUND));
    }
  }
  for (const t of transports) t.close();
  const evaluations = await call("GET", `/v3/grants/${ruled.id}/rule-evaluations?limit=1`);
  server.proc.kill("SIGTERM");
  await server.proc.exited;
  await dns.close();
  const a = median(without.map((r) => r.rate));
  const b = median(withRules.map((r) => r.rate));
  const ratio = b / a;
  const cpuA = median(without.map((r) => r.cpuUs));
  const cpuB = median(withRules.map((r) => r.cpuUs));
  return {
    "messages per round and account": PER_ROUND,
    rounds: ROUNDS,
    "SMTP sessions": SESSIONS,
    "without rules: messages/s (median)": Math.round(a),
    "50 rules + 100,000-item list: messages/s (median)": Math.round(b),
    "each round without": without.map((r) => Math.round(r.rate)).join(", "),
    "each round with": withRules.map((r) => Math.round(r.rate)).join(", "),
    "with / without (throughput)": `${(ratio * 100).toFixed(1)} %`,
    "server CPU per message without (median)": `${Math.round(cpuA)} µs`,
    "server CPU per message with (median)": `${Math.round(cpuB)} µs`,
    "CPU per message, with / without": `${((cpuB / cpuA) * 100).toFixed(1)} %`,
    "every ruled message evaluated and recorded": evaluations.length === 1 ? "yes" : "NO",
    "target within 10 %": ratio >= 0.9 ? "met" : "NOT met",
  };
}

const phases = new Set((process.env.BENCH_PHASES ?? "1,2").split(",").map((p) => p.trim()));
console.log(`machine: ${machine()}`);
if (phases.has("1")) {
  report("1. one evaluation, 1,000 rules, two lists of 100,000 items", await evaluationLatency());
}
if (phases.has("2")) {
  report("2. MX ingest, 50 rules and a 100,000-item list vs none, alternating rounds", await mxPair());
}
