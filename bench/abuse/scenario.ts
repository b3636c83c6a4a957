/** The shape of an abuse scenario module (bench/abuse/*.ts); bench/abuse.ts documents it. */

/** The server under attack, as a scenario sees it. */
export interface AbuseTarget {
  /** http://127.0.0.1:<port> */
  http: string;
  ports: { imaps: number; smtps: number; submission: number; mx: number };
  /** The server's self-signed certificate (PEM): verify TLS against it with servername "localhost". */
  ca: string;
  /** An operator API key. */
  apiKey: string;
  /** A hosted account with an app password (a recipient on the MX, a login for IMAP/SMTP). */
  account: { id: string; email: string; password: string };
}

export interface AbuseScenario {
  /** One word or two, shown first on the scenario's line. */
  name: string;
  /** AGENTBOX_* settings the server runs with for this scenario (a fresh server each time). */
  env?: Record<string, string>;
  /**
   * Attacks `target` until it is done or `signal` aborts (the runner aborts at `budgetMs`, and
   * kills the scenario's process a few seconds later). Resolves with one short line: what the
   * server answered (counts of replies, how long sessions lasted, …).
   */
  run(target: AbuseTarget, signal: AbortSignal): Promise<string>;
  /** How long the runner lets it run (ms). */
  budgetMs: number;
}
