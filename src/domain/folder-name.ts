/**
 * What a folder name may be, on every surface (IMAP CREATE/RENAME, the API's folder create and
 * update). A name is one or more levels joined by "/" (IMAP's hierarchy delimiter): an API name
 * holding "/" shows as levels over IMAP, so both surfaces hold the whole name to one rule.
 */

export const FOLDER_NAME_DELIMITER = "/";
export const MAX_FOLDER_NAME_LENGTH = 1024;

/** C0 controls (NUL, tab, CR, LF, …), DEL, C1 controls, and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** A UTF-16 surrogate not part of a pair: no Unicode character, stored as U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `name` cannot be a folder name, as a phrase completing "Invalid folder name: …"; null if it can. */
export function folderNameProblem(name: string): string | null {
  if (name.length === 0) return "it is empty";
  if (name.length > MAX_FOLDER_NAME_LENGTH) {
    return `it is longer than ${MAX_FOLDER_NAME_LENGTH} characters`;
  }
  if (CONTROL.test(name)) return "it contains a control character (such as NUL, tab or a line break)";
  if (LONE_SURROGATE.test(name)) return "it contains an unpaired UTF-16 surrogate (not a character)";
  for (const level of name.split(FOLDER_NAME_DELIMITER)) {
    if (level.trim() === "") {
      return `it has an empty or blank level (a leading, trailing or doubled "${FOLDER_NAME_DELIMITER}")`;
    }
    if (level === "." || level === "..") return `it has a level named "${level}"`;
    if (level.trim() !== level) return "a level begins or ends with white space";
  }
  return null;
}
