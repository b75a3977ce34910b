// Timestamp checks: the fast path for well-formed text and Go's wording for the rest.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTimestamp } from "./scalar-checks.js";

describe("checkTimestamp", () => {
  it("accepts RFC 3339 with or without fractional seconds, in UTC or with an offset", () => {
    for (const t of ["2026-11-22T05:01:38Z", "2026-11-22T05:01:38.123456Z", "2026-02-28T23:59:59+05:30"]) {
      assert.equal(checkTimestamp(t), undefined, t);
    }
  });

  it("refuses a well-formed time whose fields are out of range, naming the field", () => {
    assert.equal(
      checkTimestamp("2026-13-01T00:00:00Z"),
      'parsing time "2026-13-01T00:00:00Z": month out of range',
    );
    assert.equal(
      checkTimestamp("2026-01-32T00:00:00Z"),
      'parsing time "2026-01-32T00:00:00Z": day out of range',
    );
    assert.equal(
      checkTimestamp("2026-01-01T24:00:00Z"),
      'parsing time "2026-01-01T24:00:00Z": hour out of range',
    );
    assert.equal(
      checkTimestamp("2026-01-01T00:00:60Z"),
      'parsing time "2026-01-01T00:00:60Z": second out of range',
    );
  });

  it("words a malformed time as Go's time.Parse does", () => {
    assert.equal(
      checkTimestamp("2026-01-01 00:00:00Z"),
      'parsing time "2026-01-01 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T"',
    );
    assert.equal(
      checkTimestamp("2026-01-01T00:00:00Zjunk"),
      'parsing time "2026-01-01T00:00:00Zjunk": extra text: "junk"',
    );
    assert.equal(
      checkTimestamp("2026-13-01"),
      'parsing time "2026-13-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
  });
});
