/**
 * @module row-values
 * Reading driver values out of untyped rows without trusting their type: both engines return text for
 * text, and Date or ISO text for timestamptz depending on the adapter.
 */

export function text(v: unknown): string {
  if (typeof v === "string") {
    return v;
  }
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") {
    return String(v);
  }
  if (v instanceof Date) {
    return v.toISOString();
  }
  return "";
}

export function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : text(v);
}

export function date(v: unknown): Date {
  if (v instanceof Date) {
    return v;
  }
  return new Date(text(v));
}

export function dateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : date(v);
}
