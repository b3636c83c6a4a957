/** How a message is cleaned: Nylas's `PUT /messages/clean` options, with its defaults. */
export interface CleanOptions {
  /** Links keep their text only (else `[text](url)` in Markdown, `text (url)` in plain text). */
  ignoreLinks: boolean;
  /** Images are dropped (else `![alt](src)` when imagesAsMarkdown, their alt text otherwise). */
  ignoreImages: boolean;
  imagesAsMarkdown: boolean;
  /** Tables are flattened to a line per row (else a Markdown table in Markdown output). */
  ignoreTables: boolean;
  /** The closing ("Best regards,", "Thanks," and the name under it) is removed. */
  removeConclusionPhrases: boolean;
  /** Markdown instead of plain text. */
  htmlAsMarkdown: boolean;
}

export const DEFAULT_CLEAN_OPTIONS: CleanOptions = {
  ignoreLinks: true,
  ignoreImages: true,
  imagesAsMarkdown: true,
  ignoreTables: true,
  removeConclusionPhrases: true,
  htmlAsMarkdown: false,
};
