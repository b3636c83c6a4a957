import { headSeq, queryEvents } from "../events/log.ts";
import type { EventStreams } from "../events/streams.ts";
import { logNotification } from "../present/logged-event.ts";
import type { Store } from "../store/store.ts";
import type { EventFilter } from "./event-query.ts";
import { requestIdOf } from "./http.ts";

/** Events per read of the log while a stream catches up. */
const CHUNK = 100;

export interface StreamSource {
  store: Store;
  streams: EventStreams;
  applicationId: string;
  filter: EventFilter;
  /** Events after this position are sent. */
  after: number;
  heartbeatMs: number;
}

/**
 * A Server-Sent Events response of the event log: `id:` the seq (what Last-Event-ID resumes
 * from), `event:` the type, `data:` the envelope. Pull-driven, so a slow reader is never sent
 * more than it reads; a comment line every `heartbeatMs` keeps an idle connection open.
 */
export function eventStreamResponse(request: Request, source: StreamSource): Response {
  const encoder = new TextEncoder();
  let position = source.after;
  let lastWrite = Date.now();
  let closed = false;
  let unregister = () => {};
  const end = () => {
    closed = true;
    unregister();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      unregister = source.streams.register(() => {
        if (closed) return;
        end();
        controller.close();
      });
      controller.enqueue(encoder.encode(`retry: 1000\n: agentbox event stream after ${position}\n\n`));
    },
    async pull(controller) {
      while (!closed) {
        const text = nextFrames();
        if (text !== null) {
          controller.enqueue(encoder.encode(text));
          lastWrite = Date.now();
          return;
        }
        const idle = lastWrite + source.heartbeatMs - Date.now();
        if (idle <= 0) {
          controller.enqueue(encoder.encode(`: heartbeat ${Date.now()}\n\n`));
          lastWrite = Date.now();
          return;
        }
        await source.streams.wait(idle);
      }
    },
    cancel: end,
  });
  request.signal.addEventListener("abort", end);

  /** The frames of the next events after `position`, or null when there are none yet. */
  function nextFrames(): string | null {
    const upTo = headSeq(source.store);
    const rows = queryEvents(source.store, {
      applicationId: source.applicationId,
      after: position,
      upTo,
      types: source.filter.types,
      grantId: source.filter.grantId,
      limit: CHUNK,
    });
    // Whatever did not match the filter up to the head is behind us too.
    position = rows.length === CHUNK ? (rows.at(-1)?.seq ?? position) : Math.max(position, upTo);
    if (rows.length === 0) return null;
    const notifications = rows.map((e) => logNotification(source.store, e));
    return notifications
      .map(({ envelope: e, json }) => `id: ${e.seq}\nevent: ${e.type}\ndata: ${json}\n\n`)
      .join("");
  }

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-request-id": requestIdOf(request),
    },
  });
}
