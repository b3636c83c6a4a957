import { describe, expect, test } from "bun:test";
import {
  formatSequenceSet,
  inSet,
  parseSequenceSet,
  resolveSequenceNumbers,
  resolveUids,
} from "../../protocols/imap/sequence.ts";

describe("sequence sets", () => {
  test("parse", () => {
    expect(parseSequenceSet("1:3,5,*")).toEqual([
      [1, 3],
      [5, 5],
      [Infinity, Infinity],
    ]);
    expect(parseSequenceSet("7:2")).toEqual([[2, 7]]);
    for (const bad of ["", "0", "1:", ",1", "a", "1:0", "4294967296", "1,,2"])
      expect(parseSequenceSet(bad), bad).toBeNull();
  });

  test("sequence numbers: * is the last, out of range is an error", () => {
    expect(resolveSequenceNumbers(parseSequenceSet("2:*")!, 4)).toEqual([2, 3, 4]);
    expect(resolveSequenceNumbers(parseSequenceSet("*:2,1")!, 4)).toEqual([1, 2, 3, 4]);
    expect(resolveSequenceNumbers(parseSequenceSet("5")!, 4)).toBeNull();
    expect(resolveSequenceNumbers(parseSequenceSet("1:*")!, 0)).toBeNull();
  });

  test("UIDs: * is the highest UID; n:* past it still names the last message", () => {
    const uids = [3, 7, 8, 20];
    expect(resolveUids(parseSequenceSet("1:*")!, uids)).toEqual(uids);
    expect(resolveUids(parseSequenceSet("100:*")!, uids)).toEqual([20]);
    expect(resolveUids(parseSequenceSet("4:8,19")!, uids)).toEqual([7, 8]);
    expect(resolveUids(parseSequenceSet("1:5,2:4,8")!, uids)).toEqual([3, 8]);
    expect(resolveUids(parseSequenceSet("1:*")!, [])).toEqual([]);
  });

  test("membership and formatting", () => {
    expect(inSet(parseSequenceSet("3:*")!, 10, 10)).toBe(true);
    expect(inSet(parseSequenceSet("3:5")!, 6, 10)).toBe(false);
    expect(formatSequenceSet([1, 2, 3, 5, 7, 8])).toBe("1:3,5,7:8");
    expect(formatSequenceSet([])).toBe("");
  });
});
