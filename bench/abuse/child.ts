/**
 * Runs one scenario module in a process of its own, so the attack's own work (building bodies,
 * holding a thousand sockets) does not slow the runner's probes. Argument: the module's path and
 * the target as JSON; prints the scenario's summary line as the last line of stdout.
 */
import type { AbuseScenario, AbuseTarget } from "./scenario.ts";

const [modulePath = "", targetJson = "{}"] = process.argv.slice(2);
const scenario = (await import(modulePath)).default as AbuseScenario;
const target = JSON.parse(targetJson) as AbuseTarget;
const stop = new AbortController();
const timer = setTimeout(() => stop.abort(), scenario.budgetMs);
try {
  const summary = await scenario.run(target, stop.signal);
  console.log(`SUMMARY ${summary}`);
} catch (err) {
  console.log(`SUMMARY failed: ${(err as Error).message}`);
} finally {
  clearTimeout(timer);
}
process.exit(0);
