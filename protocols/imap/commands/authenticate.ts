import { BadArgs } from "../args.ts";
import { type ImapCommand, NOT_AUTHENTICATED } from "../command.ts";
import { bad, no } from "../completion.ts";
import { authenticateSession } from "./login.ts";

/** AUTHENTICATE PLAIN (RFC 4616), with an initial response (SASL-IR) or after a "+" continuation. */
export const authenticate: ImapCommand = {
  name: "AUTHENTICATE",
  states: NOT_AUTHENTICATED,
  async handle(session, args) {
    const mechanism = args.atom("mechanism").toUpperCase();
    let initial: string | null = null;
    if (args.remaining > 0) initial = args.atom("initial response");
    args.end();
    if (mechanism !== "PLAIN")
      return no(`Unsupported SASL mechanism ${mechanism.slice(0, 20)}; use PLAIN`, "CANNOT");
    if (initial === null) {
      session.send("+ ");
      const line = await session.io.readLine();
      if (line === null || line === "timeout") return bad("authentication aborted");
      initial = line.toString("latin1").trim();
    }
    if (initial === "*") return bad("Authentication cancelled");
    const decoded = initial === "=" ? "" : decodeBase64(initial);
    const parts = decoded.split("\0");
    if (parts.length !== 3) return bad("Invalid PLAIN response: expected authzid NUL authcid NUL password");
    const [authzid, authcid, password] = parts as [string, string, string];
    if (authzid !== "" && authzid.toLowerCase() !== authcid.toLowerCase()) {
      return no("Logging in as another user is not supported", "AUTHORIZATIONFAILED");
    }
    return authenticateSession(session, authcid, password);
  },
};

function decodeBase64(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new BadArgs("invalid base64");
  return Buffer.from(s, "base64").toString("utf8");
}
