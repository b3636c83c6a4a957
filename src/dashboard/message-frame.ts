/**
 * A message's HTML with its remote images allowed, for the one message whose "load remote images"
 * the operator clicked: served as its own document (not `srcdoc`, which would inherit the
 * dashboard's policy) under a policy that lets `https:` images load and nothing else: no script
 * (the `sandbox` directive, on top of the frame's sandbox attribute), no form, no style sheet or
 * font from elsewhere, framed only by the dashboard, no Referer sent with the images.
 */
export const REMOTE_IMAGES_HEADERS: Record<string, string> = {
  "content-security-policy":
    "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
  "content-type": "text/html; charset=utf-8",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "SAMEORIGIN",
  "cache-control": "no-store",
};

const FRAME_PATH = /^\/dashboard\/frame\/([^/]+)\/([^/]+)$/;

export function isMessageFramePath(pathname: string): boolean {
  return FRAME_PATH.test(pathname);
}

/** A path segment as one encoded id, or null: `.`/`..` (even encoded) would climb out of the message's path. */
function segment(raw: string | undefined): string | null {
  let value: string;
  try {
    value = decodeURIComponent(raw ?? "");
  } catch {
    return null;
  }
  return value === "" || value === "." || value === ".." ? null : encodeURIComponent(value);
}

/** GET /dashboard/frame/<grant>/<message>: the message's body, read through the API with the session's key. */
export async function messageFrame(
  url: URL,
  apiKey: string,
  forward: (request: Request) => Promise<Response>,
): Promise<Response> {
  const [grant, message] = (FRAME_PATH.exec(url.pathname) ?? []).slice(1).map(segment);
  if (!grant || !message) return new Response("not found", { status: 404, headers: REMOTE_IMAGES_HEADERS });
  const target = new URL(`/v3/grants/${grant}/messages/${message}`, url);
  const res = await forward(new Request(target.href, { headers: { authorization: `Bearer ${apiKey}` } }));
  if (res.status !== 200) return new Response("not found", { status: 404, headers: REMOTE_IMAGES_HEADERS });
  const { data } = (await res.json()) as { data?: { body?: string } };
  return new Response(data?.body ?? "", { headers: REMOTE_IMAGES_HEADERS });
}
