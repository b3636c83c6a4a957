/**
 * A failed DNS look-up. `code` uses node:dns's names (ENOTFOUND, ENODATA, ETIMEOUT, ...) because
 * mailauth branches on them.
 */
export class DnsError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "DnsError";
    this.code = code;
  }
}

/** NXDOMAIN and NODATA: the answer is "no such record", not a failure to get an answer. */
export function isNoRecordError(error: unknown): boolean {
  return error instanceof DnsError && (error.code === "ENOTFOUND" || error.code === "ENODATA");
}
