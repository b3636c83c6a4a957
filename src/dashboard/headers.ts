/**
 * Every dashboard answer: scripts only from the dashboard itself, nothing from elsewhere. A
 * message's HTML is shown in a sandboxed `srcdoc` frame, which inherits this policy: its remote
 * images, fonts and style sheets are not fetched, and its scripts do not run.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};
