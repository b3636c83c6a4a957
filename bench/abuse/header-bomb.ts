/**
 * Header bombs on the MX, unauthenticated, one after another: 100,000 folded header lines
 * (~0.4 MB; before issue 12 one held the event loop 15 s). Over the header limits: refused while
 * DATA streams in.
 */
import type { AbuseScenario } from "./scenario.ts";
import { foldedHeader, sendUntilAborted } from "./smtp-send.ts";

const scenario: AbuseScenario = {
  name: "header bomb (100k lines)",
  budgetMs: 15_000,
  run: (target, signal) => sendUntilAborted(target, foldedHeader(target.account.email, 100_000, "x"), signal),
};

export default scenario;
