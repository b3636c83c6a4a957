/** OPTIONS (RFC 4791 §5.1): what the server speaks; answered without credentials. */
export function optionsResponse(): Response {
  return new Response(null, {
    status: 200,
    headers: {
      dav: "1, 2, 3, calendar-access, extended-mkcol",
      allow: "OPTIONS, PROPFIND, PROPPATCH, REPORT, GET, HEAD, PUT, DELETE, MKCALENDAR",
      "content-length": "0",
    },
  });
}
