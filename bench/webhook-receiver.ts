/**
 * A fast webhook receiver for bench/webhooks.ts, in its own process (so its work does not share
 * the server's event loop): answers the challenge, verifies every signature, records when each
 * notification arrived (wall clock, sub-millisecond). Prints its port on stdout.
 * Control: POST /control/secret (body: the secret), GET /control/results, /control/count,
 * POST /control/reset.
 */
import { createHmac } from "node:crypto";

let secret = "";
let bad = 0;
let arrivals: [string, number][] = [];

const now = () => performance.timeOrigin + performance.now();

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/control/secret") {
      secret = await request.text();
      return new Response("ok");
    }
    if (url.pathname === "/control/results") return Response.json({ arrivals, bad });
    if (url.pathname === "/control/count") return new Response(String(arrivals.length));
    if (url.pathname === "/control/reset") {
      arrivals = [];
      return new Response("ok");
    }
    if (request.method === "GET") return new Response(url.searchParams.get("challenge") ?? "");
    const at = now();
    const raw = new Uint8Array(await request.arrayBuffer());
    if (createHmac("sha256", secret).update(raw).digest("hex") !== request.headers.get("x-nylas-signature"))
      bad++;
    const body = JSON.parse(new TextDecoder().decode(raw));
    // An object's id; a tracking notification's has none: its latest hit's user agent stands in.
    const object = body.data.object;
    arrivals.push([object.id ?? object.recents?.[0]?.user_agent ?? "", at]);
    return new Response("ok");
  },
});
console.log(server.port);
