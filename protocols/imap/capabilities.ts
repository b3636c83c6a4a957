/** CAPABILITY: only what really works, and what the session's state allows. */
import type { CommandSession } from "./command-session.ts";

export function capabilities(session: CommandSession): string[] {
  const caps = ["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE"];
  if (session.state === "not-authenticated") {
    if (session.io.canStartTls()) caps.push("STARTTLS");
    if (loginAllowed(session)) caps.push("AUTH=PLAIN");
    else caps.push("LOGINDISABLED");
    return caps;
  }
  caps.push(
    "NAMESPACE",
    "UNSELECT",
    "UIDPLUS",
    "MOVE",
    "CHILDREN",
    "SPECIAL-USE",
    "LIST-EXTENDED",
    "LIST-STATUS",
    "STATUS=SIZE",
    "ESEARCH",
    "SORT",
    "SORT=DISPLAY",
    "ESORT",
    "THREAD=ORDEREDSUBJECT",
    "THREAD=REFERENCES",
    "CONTEXT=SEARCH",
    "CONTEXT=SORT",
    `APPENDLIMIT=${session.appendLimit()}`,
    "QUOTA",
    "QUOTA=RES-STORAGE",
    "CONDSTORE",
    "QRESYNC",
    "BINARY",
    "MULTIAPPEND",
    "CATENATE",
    "URLAUTH",
    "URLAUTH=BINARY",
    "NOTIFY",
  );
  if (!session.io.compressed()) caps.push("COMPRESS=DEFLATE");
  return caps;
}

/** Passwords travel only over TLS, except from this machine. */
export function loginAllowed(session: CommandSession): boolean {
  return session.io.secure() || session.io.loopback;
}
