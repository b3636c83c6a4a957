/**
 * The calendar day of a Date header in the header's own zone (RFC 3501 SENTON / SENTBEFORE /
 * SENTSINCE: "25 Mar 2007 00:30 +0200" was sent on 25-Mar-2007, though it is the 24th in UTC).
 */

const NAMED_ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** Unix seconds of 00:00 UTC of the header's local date; null when the date does not parse. */
export function dateHeaderDay(value: string): number | null {
  const text = value.replace(/\([^)]*\)/g, " ").trim();
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  const local = ms + zoneOffsetMinutes(text) * 60_000;
  return Math.floor(local / 86_400_000) * 86_400;
}

/** The zone at the end of a date-time (`+0200`, `-0430`, `GMT`, `EST`); 0 when there is none. */
function zoneOffsetMinutes(text: string): number {
  const numeric = /([+-])(\d{2}):?(\d{2})\s*$/.exec(text);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === "-" ? -minutes : minutes;
  }
  const named = /([A-Za-z]{1,3})\s*$/.exec(text);
  return named ? (NAMED_ZONES[(named[1] as string).toUpperCase()] ?? 0) : 0;
}
