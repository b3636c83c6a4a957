/**
 * The little of the DOM this module uses, typed here: the project compiles without the DOM
 * library (it runs on Bun, not in a browser), and linkedom's nodes provide all of it.
 */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  previousSibling: DomNode | null;
  nextSibling: DomNode | null;
  parentElement: DomElement | null;
  isConnected: boolean;
  remove(): void;
}

export interface DomElement extends DomNode {
  innerHTML: string;
  children: ArrayLike<DomElement> & Iterable<DomElement>;
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}

export interface DomDocument {
  body: DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
}
