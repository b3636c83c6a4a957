import { findLiveKey } from "../applications/api-keys.ts";
import { findServiceAccount, type ServiceAccountRow } from "../applications/service-accounts.ts";
import {
  hasServiceAccountHeaders,
  NonceCache,
  verifyServiceAccountRequest,
} from "../auth/service-account.ts";
import { addressKey } from "../security/address-key.ts";
import { AttemptLimiter, admitAttempt } from "../security/rate-limit.ts";
import type { Store } from "../store/store.ts";
import { ApiError } from "./errors.ts";

export interface Caller {
  applicationId: string;
  /** Keys of the default application administer the whole server (applications, other apps' keys). */
  operator: boolean;
  method: "api_key" | "service_account";
  credentialId: string;
}

const callers = new WeakMap<Request, Caller>();

/** The authenticated caller of a /v3 request (set before routing; a route never runs without one). */
export function callerOf(request: Request): Caller {
  const caller = callers.get(request);
  if (!caller) throw new ApiError(401, "missing credentials");
  return caller;
}

/** The caller authenticated on `from` is also the caller of `to` (the same request, rebuilt). */
export function rememberCaller(from: Request, to: Request): void {
  const caller = callers.get(from);
  if (caller) callers.set(to, caller);
}

/** Paths the SDK signs as a service account instead of sending the Bearer key. */
/** Where Nylas documents service-account signatures: domains and an application's API keys. */
const SIGNED_PATHS = /^\/v3\/admin\/(domains|applications\/[^/]+\/api-keys)(\/|$)/;

/** A service-account request: its signature covers the body, which must be read to authenticate it. */
export function isSignedRequest(request: Request, url: URL): boolean {
  return (
    !request.headers.has("authorization") &&
    SIGNED_PATHS.test(url.pathname) &&
    hasServiceAccountHeaders(request.headers)
  );
}

export class Authenticator {
  /** Failed authentications per client address, an IPv6 one by its /64 (counted from when they start). */
  private readonly failures = new AttemptLimiter(30, 60_000);
  private readonly nonces = new NonceCache();

  constructor(
    private readonly store: Store,
    private readonly defaultApplicationId: string,
  ) {}

  /** Authenticates a /v3 request and remembers its caller; throws 401 or 429 in the Nylas envelope. */
  async authenticate(request: Request, url: URL, clientIp: string): Promise<Caller> {
    const attempt = await admitAttempt([[this.failures, addressKey(clientIp)]]);
    if (!attempt.admitted) {
      throw new ApiError(429, "too many failed authentication attempts; try again later", undefined, {
        "retry-after": String(Math.ceil(attempt.retryAfterMs / 1000)),
      });
    }
    let caller: Caller | undefined;
    try {
      caller = await this.identify(request, url);
    } finally {
      attempt.end(caller !== undefined);
    }
    callers.set(request, caller);
    return caller;
  }

  private async identify(request: Request, url: URL): Promise<Caller> {
    const header = request.headers.get("authorization");
    if (header) return this.bearer(header);
    if (SIGNED_PATHS.test(url.pathname) && hasServiceAccountHeaders(request.headers)) {
      return this.serviceAccount(request, url);
    }
    throw new ApiError(401, "missing Authorization header: send 'Authorization: Bearer <API key>'");
  }

  private async bearer(header: string): Promise<Caller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new ApiError(401, "malformed Authorization header: expected 'Bearer <API key>'");
    const key = await findLiveKey(this.store, match[1]);
    if (!key) throw new ApiError(401, "invalid or revoked API key");
    return {
      applicationId: key.applicationId,
      operator: key.applicationId === this.defaultApplicationId,
      method: "api_key",
      credentialId: key.id,
    };
  }

  private async serviceAccount(request: Request, url: URL): Promise<Caller> {
    // The account whose key verified the signature, read once.
    const signer: { account: ServiceAccountRow | null } = { account: null };
    const rawBody = await request.clone().text();
    const check = await verifyServiceAccountRequest(
      {
        method: request.method,
        path: url.pathname,
        query: url.search.slice(1),
        headers: request.headers,
        rawBody,
      },
      {
        publicKeyFor: async (id) => {
          signer.account = await findServiceAccount(this.store, id);
          return publicKeyOf(signer.account);
        },
        nonces: this.nonces,
      },
    );
    if (!check.ok) throw new ApiError(401, check.reason);
    const account = signer.account;
    if (!account) throw new ApiError(401, "service account was revoked");
    return {
      applicationId: account.applicationId,
      operator: account.applicationId === this.defaultApplicationId,
      method: "service_account",
      credentialId: account.id,
    };
  }
}

/** The key that may sign for a service account: none once it is revoked. */
function publicKeyOf(account: ServiceAccountRow | null): string | null {
  return account && account.revokedAt === null ? account.publicKeyPem : null;
}
