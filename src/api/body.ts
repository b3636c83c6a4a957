import { ApiError } from "./errors.ts";

/**
 * The request with its body within `limit`: refused up front when Content-Length says more; a
 * chunked body is read here, counting bytes, and handed on buffered. Called only once the caller
 * is authenticated (or for a service-account request, whose signature covers the body).
 */
export async function withinLimit(request: Request, url: URL, limit: number): Promise<Request> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(Number(declared), limit);
  if (declared === null && request.body) {
    const body = await readCapped(request.body, limit);
    return new Request(url.toString(), { method: request.method, headers: request.headers, body });
  }
  return url.toString() === request.url ? request : new Request(url.toString(), request);
}

/** Whether the body may be larger than `small` bytes (declared so, or chunked). */
export function mayBeLarge(request: Request, small: number): boolean {
  const declared = request.headers.get("content-length");
  return declared === null ? request.body !== null : Number(declared) > small;
}

async function readCapped(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(total, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function tooLarge(size: number, limit: number): ApiError {
  return new ApiError(
    413,
    `request body is over ${limit} bytes (at least ${size}); the limit for this endpoint is ${limit} bytes`,
  );
}
