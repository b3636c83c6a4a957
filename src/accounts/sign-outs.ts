import { KeyedFanOut } from "../keyed-fan-out.ts";

/**
 * Tells live protocol sessions that their account's login no longer stands (the app password was
 * rotated or removed, or the account deleted), so they end at once, an IDLE included, instead of at
 * their next command. Whoever commits such a change announces it after the commit.
 */
export class SignOuts extends KeyedFanOut<void> {
  announce(grantId: string): void {
    this.publish(grantId, undefined);
  }
}
