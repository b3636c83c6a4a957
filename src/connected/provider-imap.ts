import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { ImapFlow } from "imapflow";
import type { ProviderEndpoint, ProviderSecurity } from "./account.ts";
import { classifyProviderError, ProviderError } from "./provider-error.ts";

/** How long a provider may take to accept, greet and answer, for the short-lived connections. */
export interface ProviderTimeouts {
  connectMs: number;
  commandMs: number;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = { connectMs: 10_000, commandMs: 30_000 };

type ImapFlowOptions = ConstructorParameters<typeof ImapFlow>[0];

/**
 * An imapflow client for the endpoint, not yet connected: TLS verified, STARTTLS required.
 * `options` adds to (or overrides) these, as the sync's long-lived connections do.
 */
export function imapClient(
  endpoint: ProviderEndpoint,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts = DEFAULT_TIMEOUTS,
  options: Partial<ImapFlowOptions> = {},
): ImapFlow {
  const client = new ImapFlow({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === "tls",
    ...(endpoint.security === "starttls" && { doSTARTTLS: true }),
    auth: { user: endpoint.username, pass: endpoint.password },
    // SNI carries names only: a provider reached by address is checked against its address.
    tls: isIP(endpoint.host) ? tls : { ...tls, servername: endpoint.host },
    logger: false,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.connectMs,
    socketTimeout: timeouts.commandMs,
    disableAutoIdle: true,
    emitLogs: false,
    ...options,
  });
  // A dropped connection also rejects the command in flight, which is where it is handled.
  client.on("error", () => {});
  return client;
}

/**
 * A short-lived provider connection: opened, used, and closed before the caller answers. Any
 * failure comes out as a ProviderError saying what failed.
 */
export async function withProviderImap<T>(
  endpoint: ProviderEndpoint,
  tls: ConnectionOptions,
  work: (client: ImapFlow) => Promise<T>,
  timeouts: ProviderTimeouts = DEFAULT_TIMEOUTS,
): Promise<T> {
  const client = imapClient(endpoint, tls, timeouts);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw classifyProviderError(err, endpoint);
  }
  try {
    return await work(client);
  } catch (err) {
    throw err instanceof ProviderError ? err : classifyProviderError(err, endpoint, "command");
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Of two failed attempts, the one that got further: a certificate refused says more than a wrong port. */
function mostTelling(failures: ProviderError[]): ProviderError | undefined {
  const rank = (f: ProviderError) =>
    f.certificate ? 3 : f.stage === "tls" ? 1 : f.stage === "timeout" ? 0 : 2;
  return [...failures].sort((a, b) => rank(b) - rank(a))[0];
}

/** The security a port implies: 993 (and anything unknown) implicit TLS, 143 STARTTLS. */
export function securityForImapPort(port: number): ProviderSecurity {
  return port === 143 ? "starttls" : "tls";
}

/**
 * Logs in to check the credentials before a grant is created: the security the port implies
 * first, the other one when that fails to connect or to set up TLS. Returns the endpoint that
 * worked; throws the first attempt's ProviderError when neither did (or at once on a wrong
 * password: the other security would not change that).
 */
export async function verifyImapLogin(
  endpoint: Omit<ProviderEndpoint, "security">,
  tls: ConnectionOptions,
  timeouts: ProviderTimeouts = DEFAULT_TIMEOUTS,
): Promise<ProviderEndpoint> {
  const first = securityForImapPort(endpoint.port);
  const order: ProviderSecurity[] = first === "tls" ? ["tls", "starttls"] : ["starttls", "tls"];
  const failures: ProviderError[] = [];
  for (const security of order) {
    const candidate = { ...endpoint, security };
    try {
      await withProviderImap(candidate, tls, async () => {}, timeouts);
      return candidate;
    } catch (err) {
      const failure = err as ProviderError;
      if (failure.stage === "authentication") throw failure;
      failures.push(failure);
    }
  }
  throw (
    mostTelling(failures) ?? new ProviderError("connection", `${endpoint.host}:${endpoint.port}: no answer`)
  );
}
