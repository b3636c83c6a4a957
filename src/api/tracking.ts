import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { HitFilter } from "../tracking/hit-filter.ts";
import { type Hit, type PendingHit, trackedLinkUrl } from "../tracking/hits.ts";
import { HitRecorder } from "../tracking/recorder.ts";

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
const OPEN = /^\/t\/o\/([A-Za-z0-9_-]{16,64})\.gif$/;
const CLICK = /^\/t\/l\/([A-Za-z0-9_-]{16,64})\/(\d{1,5})$/;
const NO_STORE = { "cache-control": "no-store, private", "referrer-policy": "no-referrer" };

/**
 * The tracking pixel (GET /t/o/{token}.gif) and link redirects (GET /t/l/{token}/{index}), served
 * without authentication to whoever reads the mail, at AGENTBOX_PUBLIC_URL. The answer never
 * waits for the hit to be written: the pixel or the 302 goes out at once, and the hit and its
 * notification are committed in the next batch, within 200 ms (a crash in between loses those
 * hits; a mail client does not retry a pixel, so there is no one to acknowledge to).
 */
export class TrackingEndpoints {
  readonly #filter = new HitFilter();
  readonly #recorder: HitRecorder;

  constructor(
    private readonly store: Store,
    log: Logger,
  ) {
    this.#recorder = new HitRecorder(store, log);
  }

  /** Writes the hits still waiting (at shutdown). */
  flush(): Promise<void> {
    return this.#recorder.flush();
  }

  /** The answer for a tracking path, or null when the path is not one. */
  handle(request: Request, path: string, ip: string): Response | null {
    const open = OPEN.exec(path);
    if (open) return this.open(request, open[1] as string, ip);
    const click = CLICK.exec(path);
    if (click) return this.click(request, click[1] as string, Number(click[2]), ip);
    return null;
  }

  private open(request: Request, token: string, ip: string): Response {
    // Unknown tokens get the pixel too: the answer says nothing about which tokens exist.
    if (request.method === "GET")
      this.record(`o:${token}:${ip}`, (hit) => ({ kind: "open", token, hit }), request, ip);
    return new Response(PIXEL, { headers: { "content-type": "image/gif", ...NO_STORE } });
  }

  private click(request: Request, token: string, index: number, ip: string): Response {
    const url = trackedLinkUrl(this.store, token, index);
    if (!url)
      return new Response("unknown link\n", { status: 404, headers: { "content-type": "text/plain" } });
    if (request.method === "GET") {
      this.record(`l:${token}:${index}:${ip}`, (hit) => ({ kind: "click", token, index, hit }), request, ip);
    }
    return new Response(null, { status: 302, headers: { location: url, ...NO_STORE } });
  }

  private record(key: string, pending: (hit: Hit) => PendingHit, request: Request, ip: string): void {
    if (!this.#filter.admit(`${key}:${request.headers.get("user-agent") ?? ""}`)) return;
    const hit: Hit = {
      ip: ip === "unknown" ? null : ip,
      userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
      at: Math.floor(Date.now() / 1000),
    };
    this.#recorder.add(pending(hit));
  }
}
