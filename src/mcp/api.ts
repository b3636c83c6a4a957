/**
 * How the MCP tools reach agentbox: through its REST API, with the caller's own key, so a tool
 * sees exactly what the key's application may see (same authentication, validation, presenters
 * and errors as every other client). Inside the server the requests never leave the process;
 * from `agentbox mcp serve` they go over HTTP to AGENTBOX_URL.
 */

/** A request to the REST API as the caller; `send` answers it (in process, or over the network). */
export type SendRequest = (request: Request) => Promise<Response>;

export type Query = Record<string, string | number | boolean | undefined>;

/** The REST API's answer to a tool: an error envelope became a `ToolFailure`. */
export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
}

/** An error the agent should read: the API's own message, with its HTTP status. */
export class ToolFailure extends Error {}

export class AgentboxApi {
  constructor(
    private readonly send: SendRequest,
    private readonly baseUrl: string,
    private readonly authorization: string,
  ) {}

  get(path: string, query?: Query): Promise<ApiReply> {
    return this.call("GET", path, { query });
  }

  post(path: string, body: unknown = {}): Promise<ApiReply> {
    return this.call("POST", path, { body });
  }

  put(path: string, body: unknown): Promise<ApiReply> {
    return this.call("PUT", path, { body });
  }

  async call(method: string, path: string, opts: { query?: Query; body?: unknown }): Promise<ApiReply> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: "application/json" };
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const request = new Request(`${this.baseUrl}${path}${queryString(opts.query)}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const response = await this.send(request);
    const text = await response.text();
    const body = parseBody(text);
    if (!response.ok) throw new ToolFailure(failureMessage(response.status, body, text));
    return { status: response.status, body: body ?? {} };
  }
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function failureMessage(status: number, body: Record<string, unknown> | null, text: string): string {
  const error = body?.error as { message?: unknown } | undefined;
  const message = typeof error?.message === "string" ? error.message : text.trim().slice(0, 200);
  return `agentbox answered ${status}: ${message || "no details"}`;
}
