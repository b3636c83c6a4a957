/**
 * IMAP part numbers over a MIME tree (RFC 3501 §6.4.5): a multipart's parts are 1..n; a
 * non-multipart message has only part 1, itself; a message/rfc822 part's sub-parts are
 * numbered from the encapsulated message's body.
 */
import type { MimeNode } from "./mime-tree.ts";

export function isMultipart(node: MimeNode): boolean {
  return node.contentType.type === "multipart";
}

/**
 * The entity a part number designates, or null. "" is the message itself. As Dovecot resolves
 * them: a non-multipart message (the top one or an attached one) is its own part 1, and any
 * non-multipart part may be named once more with ".1" ("3.1" is "3"), but not twice ("3.1.1",
 * or "1.1" of a one-part message, is none).
 */
export function findPart(root: MimeNode, part: string): MimeNode | null {
  if (part === "") return root;
  let container = root;
  let isMessage = true;
  let renamed = false;
  let node: MimeNode | null = null;
  for (const segment of part.split(".")) {
    if (!/^[1-9]\d*$/.test(segment)) return null;
    const n = Number(segment);
    if (isMultipart(container)) {
      node = container.children[n - 1] ?? null;
      renamed = false;
    } else if (n === 1 && (isMessage || !renamed)) {
      node = container;
      renamed = true;
    } else return null;
    if (!node) return null;
    isMessage = node.message !== undefined;
    if (node.message) renamed = false;
    container = node.message ?? node;
  }
  return node;
}

export interface NumberedPart {
  part: string;
  node: MimeNode;
}

/** The non-multipart parts of a message in order, without descending into attached messages. */
export function leafParts(message: MimeNode): NumberedPart[] {
  if (!isMultipart(message))
    return [{ part: message.path === "" ? "1" : `${message.path}.1`, node: message }];
  const out: NumberedPart[] = [];
  const visit = (node: MimeNode) => {
    for (const child of node.children) {
      if (isMultipart(child)) visit(child);
      else out.push({ part: child.path, node: child });
    }
  };
  visit(message);
  return out;
}
