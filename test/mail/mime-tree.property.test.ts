/**
 * Properties of parseMimeTree over arbitrary bytes, MIME-looking noise, and generated nested
 * messages whose shape and leaf contents are known.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decodePart } from "../../src/mail/attachments.ts";
import { buildBodyStructure, encodeBodyStructure } from "../../src/mail/bodystructure.ts";
import { buildEnvelope, encodeEnvelope } from "../../src/mail/envelope.ts";
import { type MimeNode, parseMimeTree } from "../../src/mail/mime-tree.ts";
import { findPart } from "../../src/mail/parts.ts";
import { fetchSection } from "../../src/mail/sections.ts";

function* nodes(node: MimeNode): Generator<MimeNode> {
  yield node;
  if (node.message) yield* nodes(node.message);
  for (const child of node.children) yield* nodes(child);
}

function lfCount(raw: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (raw[i] === 10) n++;
  return n;
}

/** Offsets ordered and in bounds, children inside their parent in order, line counts right. */
function checkInvariants(raw: Uint8Array, tree: MimeNode) {
  expect([tree.headerStart, tree.bodyEnd]).toEqual([0, raw.length]);
  for (const node of nodes(tree)) {
    const { headerStart, headerEnd, bodyStart, bodyEnd } = node;
    expect(0 <= headerStart && headerStart <= headerEnd && headerEnd <= bodyStart).toBe(true);
    expect(bodyStart <= bodyEnd && bodyEnd <= raw.length).toBe(true);
    expect(node.lineCount).toBe(lfCount(raw, bodyStart, bodyEnd));
    let previousEnd = bodyStart;
    for (const child of node.children) {
      expect(child.headerStart >= previousEnd && child.bodyEnd <= bodyEnd).toBe(true);
      previousEnd = child.bodyEnd;
    }
    if (node.message) expect([node.message.headerStart, node.message.bodyEnd]).toEqual([bodyStart, bodyEnd]);
    for (const field of node.headers) expect(headerStart <= field.start && field.end <= headerEnd).toBe(true);
  }
}

/** Everything a FETCH could ask for must work on any tree. */
function checkServing(raw: Uint8Array, tree: MimeNode) {
  expect(Buffer.from(fetchSection(raw, tree, "") ?? []).equals(Buffer.from(raw))).toBe(true);
  encodeBodyStructure(buildBodyStructure(tree), true);
  encodeEnvelope(buildEnvelope(tree.headers));
  for (const node of nodes(tree)) {
    for (const child of node.children) expect(findPart(tree, child.path)).toBe(child);
    const message = node.message;
    if (message && message.contentType.type !== "multipart") {
      // A non-multipart message is its own part 1.
      expect(findPart(tree, `${message.path}.1`)).toBe(message);
    }
    if (node.path === "") continue;
    expect(findPart(tree, node.path)).not.toBeNull();
    for (const text of ["", ".MIME", ".HEADER", ".TEXT", ".HEADER.FIELDS (Subject)"]) {
      fetchSection(raw, tree, node.path + text);
    }
    decodePart(raw, node);
  }
}

const MIME_NOISE = [
  "--b",
  "--b--",
  "--c",
  "\r\n",
  "\n",
  "\r",
  " ",
  "\t",
  ":",
  "=",
  "Content-Type: multipart/mixed; boundary=b\r\n",
  "Content-Type: multipart/digest; boundary=c\n",
  "Content-Type: message/rfc822\r\n",
  "Content-Transfer-Encoding: base64\r\n",
  "Subject: x\r\n",
  "From: a <b@c>\r\n",
  "\xe9",
];

describe("parseMimeTree on any input", () => {
  test("arbitrary bytes: never throws, invariants hold, BODY[] is the input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (raw) => {
        const tree = parseMimeTree(raw);
        checkInvariants(raw, tree);
        checkServing(raw, tree);
      }),
      { numRuns: 300 },
    );
  });

  test("MIME-looking noise: never throws, invariants hold", () => {
    const noise = fc.array(fc.constantFrom(...MIME_NOISE), { maxLength: 80 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(noise, (text) => {
        const raw = Buffer.from(text, "latin1");
        const tree = parseMimeTree(raw);
        checkInvariants(raw, tree);
        checkServing(raw, tree);
      }),
      { numRuns: 500 },
    );
  });
});

type Shape =
  | { kind: "leaf"; body: Uint8Array }
  | { kind: "multipart"; parts: Shape[] }
  | { kind: "message"; inner: Shape };

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("leaf" as const), body: fc.uint8Array({ maxLength: 200 }) }),
    fc.record({
      kind: fc.constant("multipart" as const),
      parts: fc.array(tie("shape"), { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant("message" as const), inner: tie("shape") }),
  ),
})).shape;

/** Renders a shape; leaves are base64 so any bytes fit, and each multipart gets its own boundary. */
function render(shape: Shape, eol: string, ids: { next: number }): string {
  if (shape.kind === "leaf") {
    const lines =
      Buffer.from(shape.body)
        .toString("base64")
        .match(/.{1,76}/g) ?? [];
    return `Content-Type: application/octet-stream${eol}Content-Transfer-Encoding: base64${eol}${eol}${lines.join(eol)}`;
  }
  if (shape.kind === "message") {
    return `Content-Type: message/rfc822${eol}${eol}Subject: inner${eol}${render(shape.inner, eol, ids)}`;
  }
  const boundary = `=_b${ids.next++}`;
  const parts = shape.parts.map((part) => `--${boundary}${eol}${render(part, eol, ids)}${eol}`);
  return `Content-Type: multipart/mixed; boundary="${boundary}"${eol}${eol}preamble${eol}${parts.join("")}--${boundary}--${eol}epilogue`;
}

/** The tree has the generated shape and every leaf decodes to the generated bytes. */
function checkShape(raw: Uint8Array, node: MimeNode, shape: Shape) {
  if (shape.kind === "leaf") {
    expect(node.contentType.type).toBe("application");
    expect(Buffer.from(decodePart(raw, node)).equals(Buffer.from(shape.body))).toBe(true);
  } else if (shape.kind === "message") {
    expect(node.message?.headers[0]?.value).toBe("inner");
    checkShape(raw, node.message as MimeNode, shape.inner);
  } else {
    expect(node.children.length).toBe(shape.parts.length);
    shape.parts.forEach((part, i) => {
      checkShape(raw, node.children[i] as MimeNode, part);
    });
  }
}

test("generated nested messages parse to their shape, CRLF or LF", () => {
  fc.assert(
    fc.property(shapeArb, fc.constantFrom("\r\n", "\n"), (shape, eol) => {
      const raw = Buffer.from(`From: a@b.example${eol}${render(shape, eol, { next: 0 })}`, "latin1");
      const tree = parseMimeTree(raw);
      checkInvariants(raw, tree);
      checkServing(raw, tree);
      checkShape(raw, tree, shape);
    }),
    { numRuns: 300 },
  );
});
