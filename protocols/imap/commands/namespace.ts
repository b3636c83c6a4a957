import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { ok } from "../completion.ts";

/** NAMESPACE (RFC 2342): one personal namespace, no prefix, "/" as delimiter. */
export const namespace: ImapCommand = {
  name: "NAMESPACE",
  states: AUTHENTICATED,
  async handle(session, args) {
    args.end();
    session.send('* NAMESPACE (("" "/")) NIL NIL');
    return ok("NAMESPACE completed");
  },
};
