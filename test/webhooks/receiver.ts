import { createHmac } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { Server } from "bun";
import { api, type TestServer } from "../support/server.ts";

/** A real webhook receiver on loopback: answers the challenge, records and verifies every delivery. */

export interface Delivery {
  /** The parsed envelope. */
  body: Record<string, any>;
  /** The bytes as they arrived (compressed, if they were). */
  raw: Uint8Array;
  headers: Headers;
  /** performance.now() at arrival. */
  at: number;
}

export type Answer = (delivery: Delivery, n: number) => Response | null | Promise<Response | null>;

export interface ReceiverOptions {
  /** What the challenge GET answers: echo (default), a wrong value, an error status, or nothing. */
  challenge?: "echo" | "wrong" | "500" | "hang";
  /** The answer to the n-th POST (0-based); 200 when it returns null. */
  answer?: Answer;
  port?: number;
}

export class Receiver {
  readonly deliveries: Delivery[] = [];
  private waiters: (() => void)[] = [];
  answer: Answer;
  private boundPort = 0;

  private constructor(
    private server: Server<undefined>,
    private readonly options: ReceiverOptions,
  ) {
    this.answer = options.answer ?? (() => null);
  }

  static start(options: ReceiverOptions = {}): Receiver {
    const receiver: Receiver = new Receiver(undefined as never, options);
    receiver.server = receiver.listen(options.port ?? 0);
    receiver.boundPort = receiver.server.port as number;
    return receiver;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Resolves once `count` deliveries matching `pred` arrived. */
  async waitFor(count: number, pred: (d: Delivery) => boolean = () => true, ms = 5000): Promise<Delivery[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.deliveries.filter(pred);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.deliveries.map((d) => `${d.body.type}#${d.body.seq}`).join(", ");
        throw new Error(`waited ${ms} ms for ${count} deliveries, got ${found.length} (all: ${seen})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ofType(type: string): Delivery[] {
    return this.deliveries.filter((d) => d.body.type === type);
  }

  /** Stops listening (the endpoint is down: connections are refused). */
  async stop(): Promise<void> {
    await this.server.stop(true);
  }

  /** Listens again on the same port. */
  restart(): void {
    this.server = this.listen(this.port);
  }

  private listen(port: number): Server<undefined> {
    return Bun.serve({
      port,
      hostname: "127.0.0.1",
      idleTimeout: 60,
      fetch: (request) => this.handle(request),
    });
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === "GET") return this.challenge(url.searchParams.get("challenge") ?? "");
    const raw = new Uint8Array(await request.arrayBuffer());
    const text =
      request.headers.get("content-encoding") === "gzip"
        ? gunzipSync(raw).toString()
        : Buffer.from(raw).toString();
    const delivery: Delivery = {
      body: JSON.parse(text),
      raw,
      headers: request.headers,
      at: performance.now(),
    };
    const n = this.deliveries.length;
    this.deliveries.push(delivery);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
    return (await this.answer(delivery, n)) ?? new Response("ok");
  }

  private async challenge(value: string): Promise<Response> {
    switch (this.options.challenge ?? "echo") {
      case "wrong":
        return new Response(`"${value}"`);
      case "500":
        return new Response("nope", { status: 500 });
      case "hang":
        await Bun.sleep(60_000);
        return new Response(value);
      default:
        return new Response(value);
    }
  }
}

/** A TCP listener that accepts connections and never answers (a black-holed endpoint). */
export function blackHole(): { url: string; stop: () => void } {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  return { url: `http://127.0.0.1:${listener.port}/hook`, stop: () => listener.stop(true) };
}

export function signatureOf(secret: string, raw: Uint8Array): string {
  return createHmac("sha256", secret).update(raw).digest("hex");
}

/** The delivery carries a valid X-Nylas-Signature for `secret`. */
export function signedWith(d: Delivery, secret: string): boolean {
  return d.headers.get("x-nylas-signature") === signatureOf(secret, d.raw);
}

/** POST /v3/webhooks; insists on 200 and returns the webhook (with its secret). */
export async function subscribe(
  t: Pick<TestServer, "url" | "apiKey">,
  url: string,
  triggers: string[],
  extra: Record<string, unknown> = {},
  key?: string,
): Promise<Record<string, any>> {
  const res = await api(
    t,
    "POST",
    "/v3/webhooks",
    { webhook_url: url, trigger_types: triggers, ...extra },
    key,
  );
  if (res.status !== 200) throw new Error(`create webhook: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
