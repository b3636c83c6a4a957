/**
 * One Nylas `error.type` per HTTP status, used everywhere (docs/api.md has the table).
 * Clients key on the status; the SDK needs a JSON body with an `error` object.
 */
export const ERROR_TYPES = {
  400: "invalid_request_error",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found_error",
  405: "invalid_request_error",
  409: "conflict",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_error",
  500: "api_error",
  /** A connected account's provider refused or failed a change (src/api/provider-errors.ts). */
  502: "provider_error",
  503: "api_error",
  /** A connected account's provider did not answer in time. */
  504: "provider_error",
} as const;

export type ErrorStatus = keyof typeof ERROR_TYPES;

export class ApiError extends Error {
  readonly type: string;
  constructor(
    readonly status: ErrorStatus,
    message: string,
    type?: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.type = type ?? ERROR_TYPES[status];
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (what: string) => new ApiError(404, `${what} not found`);
export const conflict = (message: string) => new ApiError(409, message);
export const forbidden = (message: string) => new ApiError(403, message);
