/**
 * The MX's greeting pause, kept for strangers only.
 *
 * smtp-server waits a fixed 100 ms before its 220 greeting: a client that talks first gets
 * "421 You talk too soon" (spam bots often do not wait). A sender that opens a connection per
 * message, as most MTAs do, therefore waits 100 ms per message: 20 sessions from one sender
 * could not deliver more than ~190 messages/s (bench/smtp.ts), with the server idle. Like
 * Postfix's postscreen, a client that has once waited for the greeting and gone on to MAIL FROM
 * is remembered for a day, and greeted at once; every other client still gets the pause.
 */
import type { SMTPServerOptions } from "smtp-server";
import { SMTPConnection } from "smtp-server/lib/smtp-connection.js";

/** Clients greeted without the pause, by IP address, each for `ttlMs` after it last proved itself. */
export class GreetedClients {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxClients = 100_000,
  ) {}

  /** The client waited for the greeting and was accepted: greet it at once from now on. */
  remember(address: string): void {
    this.until.delete(address); // re-inserted last: the oldest entries are evicted first
    this.until.set(address, Date.now() + this.ttlMs);
    if (this.until.size > this.maxClients) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
  }

  knows(address: string): boolean {
    const until = this.until.get(address);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(address);
    return false;
  }
}

/** smtp-server's options plus the hook `init` below reads: greet this client without the pause? */
export type GreetingOptions = SMTPServerOptions & { greetAtOnce?: (address: string) => boolean };

/**
 * The connection internals `init` uses. smtp-server's own `init` sets the same listeners and
 * checks the same client limit, then waits its 100 ms; the tests of this file fail if a new
 * smtp-server version changes these.
 */
interface ConnectionInternals {
  _server: { options: GreetingOptions; connections: Set<unknown> };
  _setListeners(callback: () => void): void;
  remoteAddress: string;
  name: string;
  send(code: number, data: string, context: false): void;
  connectionReady(): void;
}

let installed = false;

/** Lets a server's `greetAtOnce` option skip the pause; servers without it are unchanged. */
export function installGreetingHook(): void {
  if (installed) return;
  installed = true;
  const prototype = SMTPConnection.prototype as unknown as ConnectionInternals & { init(): void };
  const pausedInit = prototype.init;
  prototype.init = function (this: ConnectionInternals) {
    const { options, connections } = this._server;
    if (!options.greetAtOnce?.(this.remoteAddress)) return pausedInit.call(this);
    this._setListeners(() => {
      if (options.maxClients && connections.size > options.maxClients) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      this.connectionReady();
    });
  };
}
