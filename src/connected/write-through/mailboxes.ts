import type { Mailboxes } from "../../../actors/mailboxes.ts";
import type { ProviderWrites } from "./provider-writes.ts";

/**
 * The mailbox door the API uses: the same as `Mailboxes`, but a change to a connected account
 * is written at its provider before the local command runs (provider-writes.ts). The one place
 * the API branches on the kind of grant; agent accounts go straight through.
 */
export function withWriteThrough(mailboxes: Mailboxes, writes: ProviderWrites): Mailboxes {
  const ask: Mailboxes["ask"] = async (grantId, kind, input) => {
    const after = await writes.before(grantId, kind, input);
    const reply = await mailboxes.ask(grantId, kind, input);
    await after?.(reply);
    return reply;
  };
  return new Proxy(mailboxes, {
    get(target, property) {
      if (property === "ask") return ask;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
