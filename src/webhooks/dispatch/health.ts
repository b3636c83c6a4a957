import type { WebhookStatus } from "../webhooks.ts";

export interface HealthRules {
  /** All attempts failing for this long: `failing`. */
  failingAfterMs: number;
  /** This many notifications in a row out of attempts: `failed`. */
  failedAfterNotifications: number;
}

/**
 * An endpoint's status, adapted from Nylas (reference §6.3): `failing` after sustained failures
 * (every attempt failed for `failingAfterMs`), back to `active` at the next success; `failed`
 * once `failedAfterNotifications` notifications in a row ran out of attempts, and from there only
 * a client's reactivation (PUT status active) moves it. Returns the status to move to, if any.
 */
export class Health {
  private failingSince: number | null = null;
  private exhaustedInARow = 0;

  constructor(private readonly rules: HealthRules) {}

  succeeded(status: WebhookStatus): WebhookStatus | null {
    this.failingSince = null;
    this.exhaustedInARow = 0;
    return status === "failing" ? "active" : null;
  }

  attemptFailed(status: WebhookStatus, now: number): WebhookStatus | null {
    this.failingSince ??= now;
    return status === "active" && now - this.failingSince >= this.rules.failingAfterMs ? "failing" : null;
  }

  notificationFailed(status: WebhookStatus): WebhookStatus | null {
    this.exhaustedInARow++;
    const live = status === "active" || status === "failing";
    return live && this.exhaustedInARow >= this.rules.failedAfterNotifications ? "failed" : null;
  }

  reset(): void {
    this.failingSince = null;
    this.exhaustedInARow = 0;
  }
}
