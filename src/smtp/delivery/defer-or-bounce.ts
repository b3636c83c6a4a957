import type { SmtpConfig } from "../../config/smtp.ts";
import { nowSeconds } from "../../ids.ts";
import type { OutboundRow } from "../../store/schema.ts";
import type { DeliveryFailure } from "../outbound/failure.ts";
import { type BouncedRecipient, markBounced, markRetry } from "../queue.ts";
import { backoffMs } from "./backoff.ts";
import { type BounceDeps, storeBounce } from "./bounce.ts";

export interface FailureDeps extends BounceDeps {
  smtp: SmtpConfig;
}

/** A temporary failure is retried until the queue lifetime runs out; then, or on a 5xx, bounce. */
export async function deferOrBounce(
  deps: FailureDeps,
  rows: OutboundRow[],
  failure: DeliveryFailure,
): Promise<void> {
  if (rows.length === 0) return;
  const now = Date.now();
  const retry: OutboundRow[] = [];
  const bounce: BouncedRecipient[] = [];
  for (const row of rows) {
    const expired = now - row.createdAt * 1000 >= deps.smtp.queueLifetimeMs;
    if (failure.kind === "temporary" && !expired) retry.push(row);
    else {
      bounce.push({
        row,
        status: failure.kind === "temporary" ? "4.4.7" : failure.status,
        diagnostic:
          failure.kind === "temporary"
            ? `x-agentbox; delivery time expired after ${row.attempts + 1} attempts; last error: ${failure.diagnostic()}`
            : failure.diagnostic(),
      });
    }
  }
  if (retry.length > 0) {
    const attempts = Math.max(...retry.map((r) => r.attempts)) + 1;
    const at = Math.ceil((now + backoffMs(attempts, deps.smtp)) / 1000);
    await markRetry(deps.store, nowSeconds(), retry, at, `${failure.status} ${failure.diagnostic()}`);
    deps.log.info(
      { queueIds: retry.map((r) => r.id), attempts, retryAt: at, reason: failure.message },
      "delivery deferred",
    );
  }
  if (bounce.length > 0) {
    await storeBounce(deps, bounce, failure);
    await markBounced(deps.store, nowSeconds(), bounce);
    deps.log.info(
      { queueIds: bounce.map((b) => b.row.id), status: bounce[0]?.status, reason: failure.message },
      "delivery failed; bounced",
    );
  }
}
