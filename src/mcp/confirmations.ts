import { createHash, randomBytes } from "node:crypto";
import { ToolFailure } from "./api.ts";

/** How long a confirmation stays usable: long enough to read it back, short enough to be this turn's. */
export const CONFIRMATION_TTL_MS = 5 * 60_000;
const MAX_PENDING = 10_000;

interface Pending {
  digest: string;
  expiresAt: number;
}

export interface Confirmation {
  confirmation_token: string;
  expires_at: number;
}

/**
 * Send confirmations: a token is issued for one exact message (its digest covers who confirmed,
 * the account, the kind of send and every field that would go out), lives a few minutes, and is
 * spent by the first send that presents it, whether that send then succeeds or not. A send with
 * a missing, unknown, expired, spent or mismatched token sends nothing.
 */
export class SendConfirmations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(subject: unknown): Confirmation {
    this.sweep();
    const token = `cfm_${randomBytes(24).toString("base64url")}`;
    const expiresAt = this.now() + CONFIRMATION_TTL_MS;
    this.pending.set(token, { digest: digestOf(subject), expiresAt });
    return { confirmation_token: token, expires_at: Math.floor(expiresAt / 1000) };
  }

  /** Spends `token` for `subject`, or throws saying why nothing will be sent. */
  spend(token: string | undefined, subject: unknown, confirmTool: string): void {
    this.take(token, confirmTool).check(subject);
  }

  /**
   * Spends `token` now (for a subject still to be read, e.g. a draft that is gone once sent);
   * `check` then throws unless the subject is the one confirmed.
   */
  take(token: string | undefined, confirmTool: string): { check(subject: unknown): void } {
    if (!token) {
      throw new ToolFailure(`nothing was sent: call ${confirmTool} first and pass its confirmation_token`);
    }
    const found = this.pending.get(token);
    this.pending.delete(token);
    if (!found) {
      throw new ToolFailure(
        `nothing was sent: confirmation_token is unknown or was already used; call ${confirmTool} again`,
      );
    }
    if (found.expiresAt <= this.now()) {
      throw new ToolFailure(`nothing was sent: confirmation_token expired; call ${confirmTool} again`);
    }
    return {
      check(subject: unknown) {
        if (found.digest === digestOf(subject)) return;
        throw new ToolFailure(
          `nothing was sent: confirmation_token was issued for a different message; call ${confirmTool} with exactly this message`,
        );
      },
    };
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(token);
    // A flood of confirmations without sends must not grow memory without bound: oldest go first.
    while (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }
}

/** A digest of a JSON value that does not depend on the order of its keys. */
export function digestOf(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
