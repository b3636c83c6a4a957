/** A bcrypt thread (bcrypt-pool.ts): a comparison or a hash in, its result or an error out. */
import bcrypt from "bcryptjs";
import type { BcryptJob, BcryptReply } from "./bcrypt-pool.ts";

declare const self: Worker;

self.onmessage = (event: MessageEvent<BcryptJob>) => {
  const job = event.data;
  let reply: BcryptReply;
  try {
    reply =
      job.op === "compare"
        ? { id: job.id, result: bcrypt.compareSync(job.password, job.hash) }
        : { id: job.id, result: bcrypt.hashSync(job.password, job.cost) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
