import { describe, expect, test } from "bun:test";
import { parseMimeTree } from "../../src/mail/mime-tree.ts";
import { findPart, isMultipart, leafParts } from "../../src/mail/parts.ts";
import { loadEml } from "./eml.ts";

const parse = (s: string) => parseMimeTree(Buffer.from(s, "latin1"));
const typeOf = (node: ReturnType<typeof findPart>) =>
  node ? `${node.contentType.type}/${node.contentType.subtype}` : null;

describe("findPart", () => {
  test("a non-multipart message has only part 1, itself", () => {
    const tree = parseMimeTree(loadEml("01-plain-text.eml"));
    expect(findPart(tree, "")).toBe(tree);
    expect(findPart(tree, "1")).toBe(tree);
    expect(findPart(tree, "2")).toBeNull();
  });

  test("multipart parts 1..n, nested", () => {
    const tree = parseMimeTree(loadEml("03-mixed-related-pdf.eml"));
    expect(typeOf(findPart(tree, "1"))).toBe("multipart/related");
    expect(typeOf(findPart(tree, "1.1"))).toBe("multipart/alternative");
    expect(typeOf(findPart(tree, "1.1.2"))).toBe("text/html");
    expect(typeOf(findPart(tree, "1.2"))).toBe("image/png");
    expect(typeOf(findPart(tree, "2"))).toBe("application/pdf");
    expect(findPart(tree, "3")).toBeNull();
    expect(findPart(tree, "1.3")).toBeNull();
  });

  test("as in Dovecot, 1 below a leaf is the leaf itself, once", () => {
    const tree = parseMimeTree(loadEml("03-mixed-related-pdf.eml"));
    expect(findPart(tree, "2.1")).toBe(findPart(tree, "2"));
    expect(findPart(tree, "2.1.1")).toBeNull();
    expect(findPart(tree, "2.2")).toBeNull();
    const single = parseMimeTree(Buffer.from("Subject: x\r\n\r\nbody\r\n"));
    expect(findPart(single, "1")).toBe(single);
    expect(findPart(single, "1.1")).toBeNull();
  });

  test("a message/rfc822 part's sub-parts are numbered from the encapsulated message's body", () => {
    const tree = parseMimeTree(loadEml("05-forwarded.eml"));
    const part = findPart(tree, "2");
    expect(typeOf(part)).toBe("message/rfc822");
    expect(findPart(tree, "2.1")).toBe(part?.message?.children[0] ?? null);
    expect(typeOf(findPart(tree, "2.2"))).toBe("text/html");
    expect(findPart(tree, "2.3")).toBeNull();
  });

  test("message/rfc822 holding a non-multipart message: its part 1 is that message", () => {
    const tree = parse(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: in\r\n\r\nhi\r\n--b--",
    );
    const inner = tree.children[0]?.message;
    expect(inner?.path).toBe("1");
    expect(findPart(tree, "1.1")).toBe(inner ?? null);
  });

  test("a top-level message/rfc822: part 1 holds it, 1.1 is its body", () => {
    const tree = parse(
      "Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\na\r\n--x--",
    );
    expect(findPart(tree, "1")).toBe(tree);
    expect(tree.message?.path).toBe("1");
    expect(findPart(tree, "1.1")).toBe(tree.message?.children[0] ?? null);
    expect(findPart(tree, "1.1")?.path).toBe("1.1");
  });

  test("malformed part numbers", () => {
    const tree = parseMimeTree(loadEml("03-mixed-related-pdf.eml"));
    for (const bad of ["0", "1.0", "01", "a", "1.", ".1", "1..2", "-1"])
      expect(findPart(tree, bad)).toBeNull();
  });

  test("a multipart whose parts were not found has none", () => {
    expect(findPart(parse("Content-Type: multipart/mixed; boundary=b\r\n\r\nno parts"), "1")).toBeNull();
  });
});

describe("leafParts", () => {
  test("leaves in order with their numbers, not descending into attached messages", () => {
    const summary = (name: string) =>
      leafParts(parseMimeTree(loadEml(name))).map(({ part, node }) => `${part}:${typeOf(node)}`);
    expect(summary("03-mixed-related-pdf.eml")).toEqual([
      "1.1.1:text/plain",
      "1.1.2:text/html",
      "1.2:image/png",
      "2:application/pdf",
    ]);
    expect(summary("05-forwarded.eml")).toEqual(["1:text/plain", "2:message/rfc822"]);
    expect(summary("01-plain-text.eml")).toEqual(["1:text/plain"]);
  });

  test("an encapsulated non-multipart message is its own part <path>.1", () => {
    const tree = parseMimeTree(loadEml("13-digest.eml"));
    const inner = tree.children[0]?.message;
    expect(inner && leafParts(inner).map((p) => p.part)).toEqual(["1.1"]);
  });
});

test("isMultipart", () => {
  const tree = parseMimeTree(loadEml("03-mixed-related-pdf.eml"));
  expect(isMultipart(tree)).toBe(true);
  expect(isMultipart(tree.children[1] ?? tree)).toBe(false);
});
