// The dashboard's one door to the server: /dashboard/api/v3/… with the session cookie, and the
// CSRF token on every change.
let csrf = null;

export function setCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (method !== "GET") headers["x-csrf-token"] = csrf ?? "";
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/dashboard/api${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(res.status, data?.error?.message ?? data?.error ?? `HTTP ${res.status}`);
  return data;
}

export async function session(method, body) {
  const headers = { "content-type": "application/json" };
  if (csrf) headers["x-csrf-token"] = csrf;
  const res = await fetch("/dashboard/session", {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error ?? `HTTP ${res.status}`);
  if (data.csrf_token) csrf = data.csrf_token;
  return data;
}

/** Text with markup escaped, for building views from strings. */
export function esc(value) {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

export function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : "";
}

export function who(list) {
  return (list ?? []).map((p) => (p.name ? `${p.name} <${p.email}>` : p.email)).join(", ");
}
