/**
 * @module wire
 * Rows to JSON-safe objects for the track endpoints: Dates become ISO strings, everything else is kept.
 */
export type Wire = Record<string, unknown>;

export function toWire(row: object): Wire {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}
