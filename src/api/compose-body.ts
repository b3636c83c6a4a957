import type { FilePart } from "../mail/compose/request.ts";
import { badRequest } from "./errors.ts";

/**
 * The body of a send or draft request, read by hand (those routes turn Elysia's parsing off):
 * JSON, or multipart/form-data whose JSON travels in one text part and every file part is an
 * attachment (reference §3.4).
 */
export interface ComposeBody {
  json: Record<string, unknown>;
  files: FilePart[];
}

export async function readComposeBody(request: Request, jsonParts: readonly string[]): Promise<ComposeBody> {
  const type = mediaType(request);
  if (type === "multipart/form-data") return readForm(request, jsonParts);
  if (type === "application/json" || type === "") return { json: parseJson(await request.text()), files: [] };
  throw badRequest(`Content-Type ${type} is not accepted here: send application/json or multipart/form-data`);
}

/** `?type=mime`: the form's `mime` part (file or text), or a message/rfc822 body. */
export async function readMimeBody(request: Request): Promise<Uint8Array> {
  const type = mediaType(request);
  if (type === "message/rfc822") return new Uint8Array(await request.arrayBuffer());
  if (type !== "multipart/form-data") {
    throw badRequest("type=mime takes multipart/form-data with the message in a part named mime");
  }
  const value = (await formOf(request)).get("mime");
  if (value === null) throw badRequest("type=mime: the form has no part named mime");
  const bytes =
    typeof value === "string" ? Buffer.from(value, "utf8") : new Uint8Array(await value.arrayBuffer());
  if (bytes.byteLength === 0) throw badRequest("type=mime: the mime part is empty");
  return bytes;
}

async function readForm(request: Request, jsonParts: readonly string[]): Promise<ComposeBody> {
  const form = await formOf(request);
  let json: Record<string, unknown> = {};
  const files: FilePart[] = [];
  for (const [field, value] of form.entries()) {
    if (jsonParts.includes(field)) {
      json = parseJson(typeof value === "string" ? value : await value.text(), field);
    } else if (typeof value !== "string") {
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
  }
  return { json, files };
}

type Form = Awaited<ReturnType<Request["formData"]>>;

async function formOf(request: Request): Promise<Form> {
  try {
    return await request.formData();
  } catch (err) {
    throw badRequest(
      `error parsing request body: the multipart form is malformed (${(err as Error).message})`,
    );
  }
}

function parseJson(text: string, part?: string): Record<string, unknown> {
  const where = part ? `the ${part} part` : "request body";
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(`error parsing ${where}: it is not valid JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
