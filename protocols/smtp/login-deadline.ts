/**
 * An absolute deadline for the part of an SMTP session before it does real work: AUTH on
 * submission; on the MX (which has no login) reaching DATA, counted from the connection and again
 * from the end of each message. smtp-server's `socketTimeout` is an idle timeout that every byte
 * re-arms, so a client trickling a byte a second kept an unauthenticated session open as long as
 * it liked; nothing extends this one. Past it: `421 4.4.2`, and the connection is closed.
 */
import type { SMTPServerOptions, SMTPServerSession } from "smtp-server";
import { SMTPConnection } from "smtp-server/lib/smtp-connection.js";

/** What the deadline needs of smtp-server's connection (a 421 reply closes it). */
interface Connection {
  session: SMTPServerSession;
  send(code: number, data: string): void;
}

export class LoginDeadline {
  readonly #connections = new Map<SMTPServerSession, Connection>();
  readonly #timers = new Map<SMTPServerSession, ReturnType<typeof setTimeout>>();

  /** `reached`: what the client had to do in time, for the 421 text ("log in", "send a message"). */
  constructor(
    readonly ms: number,
    private readonly reached: string,
  ) {}

  /** The connection is open: its time starts. */
  start(connection: Connection): void {
    this.#connections.set(connection.session, connection);
    this.arm(connection.session);
  }

  /** Its time starts again (the MX, after a message). */
  arm(session: SMTPServerSession): void {
    const connection = this.#connections.get(session);
    if (!connection) return;
    this.stop(session);
    const timer = setTimeout(() => {
      this.#timers.delete(session);
      connection.send(
        421,
        `4.4.2 did not ${this.reached} within ${this.ms / 1000} s; closing the connection`,
      );
    }, this.ms);
    timer.unref();
    this.#timers.set(session, timer);
  }

  /** It did what it had to in time. */
  stop(session: SMTPServerSession): void {
    clearTimeout(this.#timers.get(session));
    this.#timers.delete(session);
  }

  /** The connection closed. */
  forget(session: SMTPServerSession): void {
    this.stop(session);
    this.#connections.delete(session);
  }
}

/** smtp-server's options plus the deadline the hook below starts for each connection. */
export type DeadlineOptions = SMTPServerOptions & { loginDeadline?: LoginDeadline };

let installed = false;

/** Starts a server's `loginDeadline` (if it has one) for every connection it accepts. */
export function installDeadlineHook(): void {
  if (installed) return;
  installed = true;
  type Internals = Connection & { _server: { options: DeadlineOptions } };
  const prototype = SMTPConnection.prototype as unknown as Internals & { init(): void };
  const init = prototype.init;
  prototype.init = function (this: Internals) {
    init.call(this);
    this._server.options.loginDeadline?.start(this);
  };
}

type Handlers = Pick<SMTPServerOptions, "onAuth" | "onData" | "onClose">;

/** Submission: a successful AUTH meets the deadline. */
export function deadlineUntilAuth<T extends Handlers>(deadline: LoginDeadline, handlers: T): T {
  const { onAuth, onClose } = handlers;
  return {
    ...handlers,
    onAuth: onAuth
      ? (auth, session, callback) =>
          onAuth(auth, session, (err, response) => {
            if (!err && response?.user) deadline.stop(session);
            callback(err, response);
          })
      : undefined,
    onClose: (session, server) => {
      deadline.forget(session);
      onClose?.(session, server);
    },
  };
}

/** The MX: DATA meets the deadline; it starts again once the message is answered. */
export function deadlineUntilData<T extends Handlers>(deadline: LoginDeadline, handlers: T): T {
  const { onData, onClose } = handlers;
  return {
    ...handlers,
    onData: onData
      ? (stream, session, callback) => {
          deadline.stop(session);
          onData(stream, session, (err, message) => {
            deadline.arm(session);
            callback(err, message);
          });
        }
      : undefined,
    onClose: (session, server) => {
      deadline.forget(session);
      onClose?.(session, server);
    },
  };
}
