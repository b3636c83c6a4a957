import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

const SUPPORTED = new Set(["CONDSTORE", "QRESYNC"]);

/** ENABLE (RFC 5161): CONDSTORE and QRESYNC (which implies CONDSTORE); others are ignored. */
export const enable: ImapCommand = {
  name: "ENABLE",
  states: AUTHENTICATED,
  async handle(session, args) {
    const enabled: string[] = [];
    if (args.remaining === 0) args.atom("capability");
    while (args.remaining > 0) {
      const name = args.atom("capability").toUpperCase();
      if (!SUPPORTED.has(name) || session.enabled.has(name)) continue;
      session.enabled.add(name);
      enabled.push(name);
      if (name === "QRESYNC" && !session.enabled.has("CONDSTORE")) {
        session.enabled.add("CONDSTORE");
        enabled.push("CONDSTORE");
      }
    }
    if (session.enabled.has("CONDSTORE")) {
      session.enableCondstore();
    }
    session.send(`* ENABLED${enabled.map((e) => ` ${e}`).join("")}`);
    return ok("ENABLE completed");
  },
};
