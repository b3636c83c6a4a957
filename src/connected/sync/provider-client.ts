import type { ImapFlow } from "imapflow";
import type { ConnectedAccount } from "../account.ts";
import { imapClient } from "../provider-imap.ts";
import { providerTlsOptions } from "../provider-tls.ts";

/** How long a provider may take before the sync gives up on a connection (a dead provider). */
export const PROVIDER_TIMEOUTS = {
  connectionMs: 15_000,
  greetingMs: 10_000,
  /** No byte for this long while a command runs: the provider is dead (a sync pass's connection). */
  commandSocketMs: 60_000,
  /** The same for an IDLE connection: IDLE is restarted well within it. */
  idleSocketMs: 5 * 60_000,
  /** IDLE is broken and restarted this often (RFC 2177 asks for at most 29 minutes). */
  idleRestartMs: 2 * 60_000,
} as const;

/** An IMAP connection to a connected account's provider, logged in, certificates verified. */
export async function openProviderClient(
  account: ConnectedAccount,
  caFile: string | null,
  use: "pass" | "idle",
): Promise<ImapFlow> {
  const client = imapClient(
    account.imap,
    providerTlsOptions(caFile),
    {
      connectMs: PROVIDER_TIMEOUTS.connectionMs,
      commandMs: use === "idle" ? PROVIDER_TIMEOUTS.idleSocketMs : PROVIDER_TIMEOUTS.commandSocketMs,
    },
    {
      greetingTimeout: PROVIDER_TIMEOUTS.greetingMs,
      maxIdleTime: PROVIDER_TIMEOUTS.idleRestartMs,
      // An IDLE connection idles as soon as its mailbox is open; a pass's never does.
      ...(use === "idle" ? { autoIdleDelay: 50, disableAutoIdle: false } : {}),
      missingIdleCommand: "NOOP",
      qresync: true,
    },
  );
  await client.connect();
  return client;
}

/** Whether the provider refused the credentials (not a network or TLS failure). */
export function isAuthenticationFailure(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { authenticationFailed?: boolean; serverResponseCode?: string };
  return e.authenticationFailed === true || e.serverResponseCode === "AUTHENTICATIONFAILED";
}

/** Closes a client without waiting on a provider that may be gone. */
export function closeQuietly(client: ImapFlow | null): void {
  if (!client) return;
  try {
    client.close();
  } catch {
    // already closed
  }
}
