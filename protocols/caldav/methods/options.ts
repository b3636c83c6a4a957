/** The methods CalDAV answers (OPTIONS's Allow, and a 405's). */
export const ALLOW = "OPTIONS, PROPFIND, PROPPATCH, REPORT, GET, HEAD, PUT, DELETE, MKCALENDAR";

/** OPTIONS (RFC 4791 §5.1): what the server speaks; answered without credentials. */
export function optionsResponse(): Response {
  return new Response(null, {
    status: 200,
    headers: {
      dav: "1, 2, 3, calendar-access",
      allow: ALLOW,
      "content-length": "0",
    },
  });
}
