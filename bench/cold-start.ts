/**
 * Cold start: `bun src/main.ts serve` on an empty data directory until /healthz answers 200.
 * Target (issue #2): < 1 s. Run: node_modules/.bin/bun bench/cold-start.ts [runs]
 */
import { rmSync } from "node:fs";
import { spawnServer } from "../test/support/process.ts";
import { machine, median, report } from "./lib.ts";

const runs = Number(process.argv[2] ?? 7);
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  let t0 = performance.now();
  const s = spawnServer({ AGENTBOX_LOG_LEVEL: "warn" });
  await s.ready(10_000);
  cold.push(performance.now() - t0);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  t0 = performance.now();
  const again = spawnServer({ AGENTBOX_LOG_LEVEL: "warn" }, s.dataDir);
  await again.ready(10_000);
  warm.push(performance.now() - t0);
  again.proc.kill("SIGTERM");
  await again.proc.exited;
  rmSync(s.dataDir, { recursive: true, force: true });
}
report(`cold start (${machine()})`, {
  runs,
  "empty data dir → /healthz 200, median ms": median(cold).toFixed(0),
  "empty data dir, max ms": Math.max(...cold).toFixed(0),
  "existing data dir → /healthz 200, median ms": median(warm).toFixed(0),
  "target < 1000 ms": median(cold) < 1000 ? "met" : "NOT met",
});
