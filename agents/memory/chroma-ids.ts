import type { MemoryRecord } from './types.ts';

/**
 * The ids records have inside Chroma: `<date>|<source, URI-encoded>|<record id>`.
 *
 * Chroma's metadata filters are slow (a date-range `where` took 60–100 ms on 9,000 records) and so is reading
 * metadata back (~0.07 ms a record, 27 ms for the nearest 300), while ids and distances come almost free (the
 * nearest 1,000 in ~10 ms). With the date and the source in the id, a filtered search fetches ids alone and
 * filters them here; metadata and documents are read for the final hits only.
 *
 * The record's own id is kept in the metadata too (key `rid`), so that a record can be found, replaced or deleted
 * without knowing its date: a changed date or source gives it a new Chroma id, and the old one must go.
 */

const SEPARATOR = '|';
export const RECORD_ID_KEY = 'rid';

export interface ChromaKey {
  /** The record's id, as the caller knows it. */
  id: string;
  date: number;
  source: string;
}

export function chromaId(record: MemoryRecord): string {
  // Whole milliseconds, as the metadata stores them (see toChroma).
  const date = Math.floor(record.metadata.date);
  // encodeURIComponent escapes the separator, so the first two fields end at the first two separators.
  return `${date}${SEPARATOR}${encodeURIComponent(record.metadata.source)}${SEPARATOR}${record.id}`;
}

/** Undefined for an id this layout did not write. */
export function parseChromaId(value: string): ChromaKey | undefined {
  const first = value.indexOf(SEPARATOR);
  const second = first < 0 ? -1 : value.indexOf(SEPARATOR, first + 1);
  if (second < 0) return undefined;
  const date = Number(value.slice(0, first));
  if (!Number.isSafeInteger(date)) return undefined;
  let source: string;
  try {
    source = decodeURIComponent(value.slice(first + 1, second));
  } catch {
    return undefined;
  }
  return { id: value.slice(second + 1), date, source };
}
