/**
 * The base subject of RFC 5256 §2.1, which SORT (SUBJECT) orders by and both THREAD algorithms
 * group by: the decoded subject without its "Re:", "Fwd:", "[list]" leaders, "(fwd)" trailers
 * and "[fwd: …]" wrapping. `reply` tells whether any of those reply/forward marks was removed
 * (REFERENCES step 5 prefers a thread's original message over its replies).
 */

export interface BaseSubject {
  base: string;
  reply: boolean;
}

/** A "(fwd)" or a space at the end (subj-trailer). */
const TRAILER = /(?:\(fwd\)| )$/i;
/** A space (WSP), or blobs then "re:" / "fw:" / "fwd:" with an optional blob before the colon. */
const LEADER = /^(?: |(?:\[[^[\]]*\] *)*(?:re|fwd?) *(?:\[[^[\]]*\] *)?:)/i;
/** A "[…]" blob at the start, with the spaces after it (subj-blob). */
const BLOB = /^\[[^[\]]*\] */;

/** `subject`: the Subject header with its encoded-words decoded. */
export function baseSubject(subject: string): BaseSubject {
  // (1) Tabs and line breaks are spaces; runs of spaces are one.
  let s = subject.replace(/[\t\r\n ]+/g, " ");
  let reply = false;
  for (;;) {
    // (2) Trailing "(fwd)"s and spaces.
    for (let m = TRAILER.exec(s); m; m = TRAILER.exec(s)) {
      if (m[0] !== " ") reply = true;
      s = s.slice(0, -m[0].length);
    }
    // (3)–(5) Leaders, then one leading blob when something remains after it, until neither applies.
    for (let changed = true; changed; ) {
      changed = false;
      for (let m = LEADER.exec(s); m; m = LEADER.exec(s)) {
        if (m[0] !== " ") reply = true;
        s = s.slice(m[0].length);
        changed = true;
      }
      const blob = BLOB.exec(s);
      if (blob && blob[0].length < s.length) {
        s = s.slice(blob[0].length);
        changed = true;
      }
    }
    // (6) "[fwd: …]" around the whole subject: unwrap and start again.
    if (s.length >= 6 && s.slice(0, 5).toLowerCase() === "[fwd:" && s.endsWith("]")) {
      s = s.slice(5, -1);
      reply = true;
      continue;
    }
    return { base: s, reply };
  }
}
