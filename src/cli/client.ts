import { readFileSync } from "node:fs";
import { join } from "node:path";

const DEFAULT_URL = "http://127.0.0.1:3000";
const TIMEOUT_MS = 60_000;

/** The API answered with an error envelope (or a non-JSON error). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type?: string,
  ) {
    super(message);
  }
}

/** One answer of the API: the envelope's `data`, and its cursor when the list has more. */
export interface ApiResult<T> {
  status: number;
  data: T;
  nextCursor: string | null;
}

type Query = Record<string, string | number | boolean | undefined>;

/** The server's HTTP API, authenticated with the operator's key (read only when first needed). */
export class Client {
  private key: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly readKey: () => string,
  ) {}

  get<T>(path: string, query?: Query): Promise<ApiResult<T>> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, body: unknown = {}): Promise<ApiResult<T>> {
    return this.request<T>("POST", path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    return this.request<T>("PATCH", path, { body });
  }

  put<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    return this.request<T>("PUT", path, { body });
  }

  /** A POST whose body is bytes of `contentType` (an imported message), with a query. */
  postBytes<T>(path: string, query: Query, bytes: Uint8Array, contentType: string): Promise<ApiResult<T>> {
    return this.request<T>("POST", path, { query, raw: { bytes, contentType } });
  }

  /** Any method with a query and a JSON body (calendar writes name their calendar in the query). */
  call<T>(method: string, path: string, opts: { query?: Query; body?: unknown }): Promise<ApiResult<T>> {
    return this.request<T>(method, path, opts);
  }

  /** DELETE, with a JSON body where the API takes one (list items). */
  delete<T = unknown>(path: string, body?: unknown): Promise<ApiResult<T>> {
    return this.request<T>("DELETE", path, body === undefined ? {} : { body });
  }

  /** The Authorization header the client sends (reads the key now if it has not yet). */
  authorization(): string {
    this.key ??= this.readKey();
    return `Bearer ${this.key}`;
  }

  /** An unauthenticated GET (/healthz, /metrics), whatever its status. */
  fetchPublic(path: string): Promise<Response> {
    return this.send(path, { method: "GET" });
  }

  private async request<T>(
    method: string,
    path: string,
    { query, body, raw }: { query?: Query; body?: unknown; raw?: { bytes: Uint8Array; contentType: string } },
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {
      authorization: this.authorization(),
      accept: "application/json",
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (raw) headers["content-type"] = raw.contentType;
    const response = await this.send(path + queryString(query), {
      method,
      headers,
      body: raw ? raw.bytes : body === undefined ? undefined : JSON.stringify(body),
    });
    const envelope = await readEnvelope(response);
    return { status: response.status, data: envelope.data as T, nextCursor: envelope.next_cursor ?? null };
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      if (err instanceof DOMException && err.name === "TimeoutError") {
        throw new Error(`agentbox at ${this.baseUrl} did not answer within ${TIMEOUT_MS / 1000} s`);
      }
      throw new Error(
        `cannot reach agentbox at ${this.baseUrl} (${reasonOf(err)}): is the server running? AGENTBOX_URL sets its address`,
      );
    }
  }
}

/** Bun's fetch errors carry a short code (ECONNREFUSED) next to a long, generic message. */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code) return code;
  return err instanceof Error ? err.message : String(err);
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

interface Envelope {
  data?: unknown;
  next_cursor?: string | null;
  error?: { type?: string; message?: string };
}

async function readEnvelope(response: Response): Promise<Envelope> {
  const text = await response.text();
  let envelope: Envelope | undefined;
  try {
    envelope = text ? (JSON.parse(text) as Envelope) : {};
  } catch {
    envelope = undefined;
  }
  if (response.ok && envelope) return envelope;
  const message = envelope?.error?.message;
  if (message) throw new ApiError(response.status, message, envelope?.error?.type);
  const snippet = text.trim().slice(0, 200);
  throw new ApiError(
    response.status,
    `HTTP ${response.status} from the server${snippet ? `: ${snippet}` : ""}`,
  );
}

/** AGENTBOX_URL, and AGENTBOX_API_KEY or else the key file the server wrote in its data directory. */
export function clientFromEnv(env: Record<string, string | undefined> = process.env): Client {
  const raw = env.AGENTBOX_URL?.trim() || DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`AGENTBOX_URL "${raw}" is not a URL (expected e.g. ${DEFAULT_URL})`);
  }
  return new Client(url.toString().replace(/\/+$/, ""), () => readApiKey(env));
}

function readApiKey(env: Record<string, string | undefined>): string {
  const fromEnv = env.AGENTBOX_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  const file = join(env.AGENTBOX_DATA_DIR?.trim() || "./data", "api-key");
  let key = "";
  try {
    key = readFileSync(file, "utf8").trim();
  } catch {
    // reported below
  }
  if (!key) {
    throw new Error(
      `no API key: set AGENTBOX_API_KEY, or AGENTBOX_DATA_DIR to the server's data directory (${file} is missing or empty)`,
    );
  }
  return key;
}
