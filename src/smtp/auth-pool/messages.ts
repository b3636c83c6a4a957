import type { Verification, VerifyInput } from "../auth-verdict.ts";
import type { DkimKey } from "../outbound/dkim-signer.ts";

/** What the main thread asks of an auth-pool thread. */
export type Job =
  | { kind: "verify"; id: number; raw: Uint8Array; input: Omit<VerifyInput, "resolver"> }
  | { kind: "sign"; id: number; raw: Uint8Array; key: DkimKey };

/** The answer to a thread's DNS question (`code` as node:dns names it: mailauth branches on it). */
export type DnsAnswer =
  | { kind: "dns"; question: number; value: unknown }
  | { kind: "dns"; question: number; error: { code: string | undefined; message: string } };

export type ToWorker = Job | DnsAnswer;

/** What a thread sends back: a question for the job's resolver, or the job's outcome. */
export type FromWorker =
  | { kind: "dns"; id: number; question: number; name: string; rrtype: string }
  | { kind: "verified"; id: number; verification: Verification }
  | { kind: "signed"; id: number; field: string }
  | { kind: "failed"; id: number; error: string };
