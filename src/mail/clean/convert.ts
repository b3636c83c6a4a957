import TurndownService from "turndown";
import type { DomElement } from "./dom.ts";
import type { CleanOptions } from "./options.ts";

/**
 * HTML (already stripped of its history) to Markdown or plain text, per the options. Plain text
 * is the same walk with the Markdown syntax left out: emphasis, headings and escapes dropped,
 * list items kept as "- ".
 */
export function toText(html: string, options: CleanOptions): string {
  return converter(options).turndown(html);
}

const converters = new Map<string, TurndownService>();

function converter(options: CleanOptions): TurndownService {
  const key = JSON.stringify(options);
  let service = converters.get(key);
  if (!service) {
    service = build(options);
    converters.set(key, service);
  }
  return service;
}

function build(options: CleanOptions): TurndownService {
  const markdown = options.htmlAsMarkdown;
  const service = new TurndownService({
    headingStyle: "atx",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
    emDelimiter: "*",
    hr: "---",
  });
  service.remove(["script", "style", "head", "title", "meta", "noscript", "template"]);
  // Mail clients write a line per <div>: one newline between them (a <div><br></div> is a blank line).
  service.addRule("lines", {
    filter: "div",
    replacement: (content) => `\n${content}\n`,
  });
  service.addRule("listItems", {
    filter: "li",
    replacement: (content, node) => {
      const item = node as unknown as DomElement;
      const list = item.parentElement;
      let prefix = "- ";
      if (list?.nodeName === "OL") {
        const start = Number(list.getAttribute("start") ?? "1") || 1;
        prefix = `${start + Array.prototype.indexOf.call(list.children, item)}. `;
      }
      const text = content
        .replace(/^\n+/, "")
        .replace(/\n+$/, "\n")
        .replace(/\n(?=.)/g, "\n  ");
      return prefix + text + (item.nextSibling && !text.endsWith("\n") ? "\n" : "");
    },
  });
  service.addRule("links", {
    filter: "a",
    replacement: (content, node) => {
      const href = (node as unknown as DomElement).getAttribute("href") ?? "";
      const text = content.trim();
      if (options.ignoreLinks || !/^(https?|mailto):/i.test(href)) return content;
      const target = href.replace(/^mailto:/i, "");
      if (markdown) return `[${text || target}](${href})`;
      return !text || text === href || text === target ? target : `${text} (${target})`;
    },
  });
  service.addRule("images", {
    filter: "img",
    replacement: (_content, node) => {
      const img = node as unknown as DomElement;
      const alt = (img.getAttribute("alt") ?? "").trim();
      const src = img.getAttribute("src") ?? "";
      if (options.ignoreImages) return "";
      if (options.imagesAsMarkdown) return `![${alt}](${src})`;
      return alt;
    },
  });
  service.addRule("tables", {
    filter: "table",
    replacement: (_content, node) => `\n\n${table(node as unknown as DomElement, options, service)}\n\n`,
  });
  if (!markdown) plainText(service);
  return service;
}

/**
 * A data table (every cell one line) becomes a Markdown table, or with ignoreTables (and in plain
 * text) a line per row, cells between spaces. A layout table (cells holding paragraphs or other
 * tables, as newsletters are built) becomes its cells' content, one block after another.
 */
function table(node: DomElement, options: CleanOptions, service: TurndownService): string {
  const rows = Array.from(node.querySelectorAll("tr"))
    .filter((tr) => tr.closest("table") === node)
    .map((tr) =>
      Array.from(tr.children)
        .filter((cell) => cell.nodeName === "TD" || cell.nodeName === "TH")
        .map((cell) => service.turndown(cell.innerHTML).trim())
        .filter(Boolean),
    )
    .filter((cells) => cells.length > 0);
  if (rows.length === 0) return "";
  if (rows.some((cells) => cells.some((cell) => cell.includes("\n")))) {
    return rows.map((cells) => cells.join("\n\n")).join("\n\n");
  }
  if (options.ignoreTables || !options.htmlAsMarkdown) return rows.map((cells) => cells.join(" ")).join("\n");
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => (cells[i] ?? "").replaceAll("|", "\\|")).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), `|${" --- |".repeat(width)}`, ...body.map(line)].join("\n");
}

function plainText(service: TurndownService): void {
  service.escape = (text: string) => text;
  service.addRule("plainEmphasis", {
    filter: ["strong", "b", "em", "i", "code", "u", "s", "del"],
    replacement: (content) => content,
  });
  service.addRule("plainHeadings", {
    filter: ["h1", "h2", "h3", "h4", "h5", "h6"],
    replacement: (content) => `\n\n${content.trim()}\n\n`,
  });
  service.addRule("plainQuotes", {
    filter: "blockquote",
    replacement: (content) => `\n\n${content.trim()}\n\n`,
  });
  service.addRule("plainRule", { filter: "hr", replacement: () => "\n\n" });
  service.addRule("plainCode", {
    filter: "pre",
    replacement: (_content, node) => `\n\n${(node as unknown as DomElement).textContent ?? ""}\n\n`,
  });
}
