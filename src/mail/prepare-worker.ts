/** A preparing thread (prepare-pool.ts): raw bytes in, a PreparedMessage or an error out. */
import { prepareMessage } from "./prepared-message.ts";

declare const self: Worker;

self.onmessage = (event: MessageEvent<{ id: number; raw: Uint8Array }>) => {
  const { id, raw } = event.data;
  try {
    self.postMessage({ id, prepared: prepareMessage(raw) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
};
