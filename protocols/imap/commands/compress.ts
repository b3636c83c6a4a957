import { AUTHENTICATED, type ImapCommand } from "../command.ts";
import { bad, no, ok } from "../completion.ts";

/** COMPRESS DEFLATE (RFC 4978): the OK goes out uncompressed, everything after it compressed. */
export const compress: ImapCommand = {
  name: "COMPRESS",
  states: AUTHENTICATED,
  async handle(session, args, call) {
    const mechanism = args.atom("mechanism").toUpperCase();
    args.end();
    if (mechanism !== "DEFLATE") return bad(`Unknown compression mechanism ${mechanism.slice(0, 20)}`);
    if (session.io.compressed()) return no("DEFLATE is already active", "COMPRESSIONACTIVE");
    session.tagged(call.tag, ok("DEFLATE active"));
    session.io.startCompression();
    return { ...ok(""), sent: true };
  },
};
