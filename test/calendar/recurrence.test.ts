import { describe, expect, test } from "bun:test";
import { occurrences, seriesEnd, seriesOf } from "../../src/calendar/recurrence.ts";
import type { When } from "../../src/calendar/when.ts";
import { instantOf } from "../../src/calendar/zone.ts";

/** Wall clocks in a zone (DST gaps and overlaps) and the expansion of series across them. */

const iso = (s: number) => new Date(s * 1000).toISOString();
const wall = (year: number, month: number, day: number, hour: number, minute = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});

describe("wall clocks", () => {
  test("a time skipped by spring-forward moves forward by the gap; an ambiguous one takes its first occurrence", () => {
    expect(iso(instantOf(wall(2026, 3, 8, 2, 30), "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
    expect(iso(instantOf(wall(2026, 11, 1, 1, 30), "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(instantOf(wall(2026, 10, 25, 2, 30), "Europe/Paris"))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(instantOf(wall(2026, 7, 1, 12), "Asia/Kolkata"))).toBe("2026-07-01T06:30:00.000Z");
  });
});

describe("series", () => {
  const paris9: When = {
    object: "timespan",
    start_time: Date.UTC(2026, 9, 20, 7) / 1000, // Tuesday 20 Oct 2026, 09:00 CEST
    end_time: Date.UTC(2026, 9, 20, 8) / 1000,
    start_timezone: "Europe/Paris",
    end_timezone: "Europe/Paris",
  };

  test("a daily 09:00 Paris series crosses the autumn change at 09:00 local", () => {
    const s = seriesOf(["RRULE:FREQ=DAILY;COUNT=10"], paris9);
    const starts = occurrences(s, 0, 2e9).map(iso);
    expect(starts[4]).toBe("2026-10-24T07:00:00.000Z");
    expect(starts[5]).toBe("2026-10-25T08:00:00.000Z");
    expect(seriesEnd(s)).toBe(Date.UTC(2026, 9, 29, 9) / 1000);
  });

  test("UNTIL in UTC, EXDATE in UTC and in another zone, RDATE", () => {
    const s = seriesOf(
      [
        "RRULE:FREQ=WEEKLY;UNTIL=20261117T080000Z",
        "EXDATE:20261027T080000Z",
        "EXDATE;TZID=America/New_York:20261103T030000",
        "RDATE;TZID=Europe/Paris:20261201T090000",
      ],
      paris9,
    );
    expect(occurrences(s, 0, 2e9).map(iso)).toEqual([
      "2026-10-20T07:00:00.000Z",
      "2026-11-10T08:00:00.000Z",
      "2026-11-17T08:00:00.000Z",
      "2026-12-01T08:00:00.000Z",
    ]);
  });

  test("an unending rule has no last end; a window bounds its expansion", () => {
    const s = seriesOf(["RRULE:FREQ=MONTHLY;BYMONTHDAY=31"], paris9);
    expect(seriesEnd(s)).toBeNull();
    const year = occurrences(s, Date.UTC(2027, 0, 1) / 1000, Date.UTC(2027, 11, 31, 23) / 1000);
    expect(year.length).toBe(7);
  });

  test("bad lines are refused with a reason", () => {
    expect(() => seriesOf(["RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY"], paris9)).toThrow("more than one RRULE");
    expect(() => seriesOf(["FOO:BAR"], paris9)).toThrow("not understood");
    expect(() => seriesOf(["EXDATE:20261027T080000Z"], paris9)).toThrow("RRULE or an RDATE");
    expect(() => seriesOf(["RRULE:FREQ=DAILY;COUNT=2;UNTIL=20270101"], paris9)).toThrow(
      "both COUNT and UNTIL",
    );
  });
});
