import { ComposeError } from "./errors.ts";
import { optionalList, optionalString, requireHeaderSafe, requireObjectAt } from "./fields.ts";

export interface CustomHeader {
  name: string;
  value: string;
}

const MAX_HEADERS = 50;
// RFC 5322 field-name: printable ASCII except the colon.
const FIELD_NAME = /^[!-9;-~]+$/;

// Headers the composer writes itself. A custom copy would override or duplicate the structure
// (and From would bypass the send-as-self rule), so each points at the request field to use.
const RESERVED_HINTS: Record<string, string> = {
  From: "use from",
  Sender: "the server sets it",
  "Reply-To": "use reply_to",
  To: "use to",
  Cc: "use cc",
  Bcc: "use bcc",
  Subject: "use subject",
  Date: "the server sets it",
  "Message-ID": "the server sets it",
  "In-Reply-To": "use reply_to_message_id",
  References: "use reply_to_message_id",
  "MIME-Version": "the server sets it",
  "Content-Type": "the server sets it",
  "Content-Transfer-Encoding": "the server sets it",
  "Content-Disposition": "the server sets it",
  "Content-ID": "the server sets it",
};
const RESERVED = new Map(
  Object.entries(RESERVED_HINTS).map(([name, hint]) => [name.toLowerCase(), `${name} (${hint})`]),
);

export function parseCustomHeaders(obj: Record<string, unknown>): CustomHeader[] {
  const list = optionalList(obj, "custom_headers", "custom_headers", "{name, value} objects") ?? [];
  if (list.length > MAX_HEADERS) {
    throw new ComposeError("custom_headers", `custom_headers may list at most ${MAX_HEADERS} headers`);
  }
  return list.map((entry, i) => parseCustomHeader(entry, `custom_headers[${i}]`));
}

function parseCustomHeader(value: unknown, path: string): CustomHeader {
  const entry = requireObjectAt(value, path, "an object with a name and a value");
  const name = parseName(optionalString(entry, "name", `${path}.name`, 76), `${path}.name`);
  const text = optionalString(entry, "value", `${path}.value`, 998);
  if (text === undefined) throw new ComposeError(`${path}.value`, `${path}.value is required`);
  return { name, value: requireHeaderSafe(text, `${path}.value`) };
}

function parseName(name: string | undefined, path: string): string {
  if (name === undefined || name === "") throw new ComposeError(path, `${path} is required`);
  requireHeaderSafe(name, path);
  if (!FIELD_NAME.test(name)) {
    throw new ComposeError(path, `${path} must be printable ASCII without spaces or colons`);
  }
  const reserved = RESERVED.get(name.toLowerCase());
  if (reserved !== undefined) throw new ComposeError(path, `${path} may not set ${reserved}`);
  return name;
}
