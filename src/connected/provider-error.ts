/** Which step of talking to a provider failed: what the API names in its error. */
export type ProviderStage = "connection" | "tls" | "authentication" | "command" | "timeout";

export class ProviderError extends Error {
  constructor(
    readonly stage: ProviderStage,
    message: string,
    /** A TLS failure because the provider's certificate was not trusted (not a protocol mismatch). */
    readonly certificate = false,
  ) {
    super(message);
  }
}

const TLS_CODES =
  /ETLS|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|ERR_SSL|ERR_TLS|HANDSHAKE|WRONG_VERSION|DEPTH_ZERO|ClosedAfterConnectTLS/i;
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|DEPTH_ZERO/i;
const CONNECTION_CODES =
  /ECONNECTION|ESOCKET|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|EPIPE|NoConnection/i;
const TIMEOUT_CODES = /TIMEDOUT|TIMEOUT/i;

/**
 * Names a failure from imapflow or nodemailer. The messages are built from the error's code and
 * the provider's own words, never from the credentials.
 */
export function classifyProviderError(
  err: unknown,
  endpoint: { host: string; port: number },
  during: "connect" | "command" = "connect",
): ProviderError {
  const e = (err ?? {}) as {
    code?: string;
    message?: string;
    authenticationFailed?: boolean;
    responseText?: string;
    responseCode?: number;
    serverResponseCode?: string;
  };
  const where = `${endpoint.host}:${endpoint.port}`;
  const code = String(e.code ?? "");
  const text = (e.responseText ?? e.message ?? "").slice(0, 200);
  if (e.authenticationFailed || code === "EAUTH" || e.serverResponseCode === "AUTHENTICATIONFAILED") {
    return new ProviderError(
      "authentication",
      `${where} refused the username or password${text ? `: ${text}` : ""}`,
    );
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message ?? "")) {
    const certificate = CERTIFICATE_CODES.test(code) || /certificate/i.test(e.message ?? "");
    const why = certificate ? "the provider's certificate is not trusted" : "TLS failed";
    return new ProviderError("tls", `${where}: ${why} (${code || e.message})`, certificate);
  }
  if (TIMEOUT_CODES.test(code) || /timed? ?out/i.test(e.message ?? "")) {
    return new ProviderError("timeout", `${where} did not answer in time`);
  }
  if (during === "connect" || CONNECTION_CODES.test(code)) {
    return new ProviderError("connection", `${where}: could not connect (${code || e.message || "closed"})`);
  }
  return new ProviderError("command", `${where} answered: ${text || code || "an error"}`);
}
