/**
 * The worst header under the limits, on the MX, one after another: 4,990 folded lines of 20 bytes
 * (~100 KB). Accepted and stored, after mailauth (whose parser is quadratic in folded lines)
 * checked it on the auth pool.
 */
import type { AbuseScenario } from "./scenario.ts";
import { foldedHeader, sendUntilAborted } from "./smtp-send.ts";

const scenario: AbuseScenario = {
  name: "header under the limits",
  budgetMs: 15_000,
  run: (target, signal) =>
    sendUntilAborted(target, foldedHeader(target.account.email, 4_990, "x".repeat(17)), signal),
};

export default scenario;
