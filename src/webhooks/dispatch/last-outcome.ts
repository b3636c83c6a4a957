import type { WebhookRow } from "../../store/schema.ts";
import type { Progress } from "../deliveries.ts";

type Outcome = Omit<Progress, "cursor">;

/** How the endpoint's latest attempts went: saved on its row with the cursor. */
export class LastOutcome {
  private readonly fields: Outcome;
  /** Changed since it was last taken for a save. */
  changed = false;

  constructor(row: WebhookRow) {
    this.fields = {
      lastSuccessAt: row.lastSuccessAt,
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt,
    };
  }

  succeeded(now: number): void {
    this.fields.lastSuccessAt = Math.floor(now / 1000);
    this.changed = true;
  }

  failed(error: string, now: number): void {
    this.fields.lastError = error;
    this.fields.lastErrorAt = Math.floor(now / 1000);
    this.changed = true;
  }

  current(): Outcome {
    return { ...this.fields };
  }

  /** The outcome to save now. */
  take(): Outcome {
    this.changed = false;
    return this.current();
  }
}
