import type { Extra, Violation } from "./json-schema.ts";
import { checkResponse, operationOf, type Reference } from "./reference.ts";

/**
 * The contract test's HTTP client: every call names its operation as Nylas's document does
 * (`GET /v3/grants/{grant_id}/messages/{message_id}`), goes over a real socket, and its response
 * is validated at once against the spec's schema for that path, method and status. Operations
 * agentbox adds (absent from the document) must be declared as extensions.
 */

export interface Exchange {
  method: string;
  template: string;
  status: number;
  body: unknown;
  headers: Headers;
  violations: Violation[];
  extras: Extra[];
  /** An agentbox operation that Nylas's document does not have. */
  extension: boolean;
}

export interface CallOptions {
  json?: unknown;
  form?: FormData;
  /** A body sent as is (with its content type in `headers`). */
  raw?: string | Uint8Array | Blob;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** Another API key; null for none. */
  key?: string | null;
  /** Read the body as bytes (downloads); `body` is then a Uint8Array. */
  binary?: boolean;
  /** Read no body (a stream): the response is handed back unread. */
  stream?: boolean;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  response?: Response;
}

export class ContractClient {
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly target: { url: string; apiKey: string },
    private readonly ref: Reference,
    /** `METHOD template` of every agentbox operation the document lacks. */
    private readonly extensions: ReadonlySet<string>,
  ) {}

  async call(op: string, params: Record<string, string> = {}, options: CallOptions = {}): Promise<Answer> {
    const [method, template] = op.split(" ") as [string, string];
    const extension = this.extensions.has(op);
    if (!extension && !operationOf(this.ref, method, template)) {
      throw new Error(`${op} is neither in Nylas's document nor a declared extension`);
    }
    const response = await fetch(this.urlOf(template, params, options.query), {
      method,
      headers: this.headersOf(options),
      body: bodyOf(options),
    });
    if (options.stream) {
      this.record(method, template, response.status, null, response.headers, extension);
      return { status: response.status, body: null, headers: response.headers, response };
    }
    const body = options.binary ? new Uint8Array(await response.arrayBuffer()) : parse(await response.text());
    this.record(method, template, response.status, body, response.headers, extension);
    return { status: response.status, body, headers: response.headers };
  }

  /**
   * Calls and insists on success (2xx); returns the body. Which 2xx is the contract's business:
   * a status the document does not declare is a violation of the exchange.
   */
  async ok(op: string, params: Record<string, string> = {}, options: CallOptions = {}) {
    const answer = await this.call(op, params, options);
    if (answer.status >= 300) {
      throw new Error(`${op} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  private record(
    method: string,
    template: string,
    status: number,
    body: unknown,
    headers: Headers,
    extension: boolean,
  ): void {
    // A download or a stream: its status is checked (the document's schema for it is not JSON).
    const check = extension
      ? { violations: [] as Violation[], extras: [] }
      : checkResponse(this.ref, method, template, status, body);
    // docs/api.md: every response carries x-request-id, the body's request_id when it has one.
    const id = headers.get("x-request-id");
    const bodyId = body !== null && typeof body === "object" && "request_id" in body ? body.request_id : id;
    if (!id || bodyId !== id) {
      check.violations.push({ path: "x-request-id", message: `header ${id}, body request_id ${bodyId}` });
    }
    this.exchanges.push({ method, template, status, body, headers, ...check, extension });
  }

  private urlOf(template: string, params: Record<string, string>, query?: CallOptions["query"]): string {
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
      return encodeURIComponent(value);
    });
    const qs = new URLSearchParams(
      Object.entries(query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return `${this.target.url}${path}${qs.size > 0 ? `?${qs}` : ""}`;
  }

  private headersOf(options: CallOptions): Record<string, string> {
    const key = options.key === undefined ? this.target.apiKey : options.key;
    const headers: Record<string, string> = { ...(key && { authorization: `Bearer ${key}` }) };
    if (options.json !== undefined) headers["content-type"] = "application/json";
    return { ...headers, ...options.headers };
  }
}

function bodyOf(options: CallOptions): string | Uint8Array | Blob | FormData | undefined {
  if (options.json !== undefined) return JSON.stringify(options.json);
  return options.form ?? options.raw;
}

function parse(text: string): unknown {
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `/v3/grants/:grantId/x` and `/v3/grants/{grant_id}/x` → `/v3/grants/{}/x`. */
export function routeShape(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/:[^/]+|\{[^}]+\}/g, "{}")}`;
}
