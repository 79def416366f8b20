import type { Metadata, Where } from 'chromadb';
import { AppError } from '../../core/errors.ts';
import { RECORD_ID_KEY } from './chroma-ids.ts';
import type { MemoryKind, MemoryMetadata, MemoryRecord, VectorFilter } from './types.ts';

/** Memory metadata to and from Chroma's, and filters as Chroma `where` clauses or checked here. */

/**
 * Chroma's upsert merges metadata into an existing record's (a key left out keeps its old value, and null does not
 * remove it), so every optional key is always written, with '' for "absent", which keeps a replace a replace.
 */
const OPTIONAL_KEYS = ['sender', 'feed', 'category'] as const;

/** The source and date part of a filter (in this back end the kind is the collection). */
export function passesFilter(meta: Pick<MemoryMetadata, 'source' | 'date'>, filter: VectorFilter): boolean {
  if (filter.source !== undefined && meta.source !== filter.source) return false;
  if (filter.since !== undefined && !Number.isNaN(filter.since) && meta.date < filter.since) return false;
  if (filter.until !== undefined && !Number.isNaN(filter.until) && meta.date >= filter.until) return false;
  return true;
}

export function toChroma(record: MemoryRecord): Metadata {
  const { kind, source, date, itemId } = record.metadata;
  if (!Number.isFinite(date)) {
    throw new AppError('memory_record', `memory record ${record.id} has no valid date`, {
      hint: 'Give every record a date in epoch milliseconds',
    });
  }
  // Whole milliseconds, stored as an integer so that date filters compare integers with integers.
  const metadata: Metadata = { kind, source, date: Math.floor(date), itemId, [RECORD_ID_KEY]: record.id };
  for (const key of OPTIONAL_KEYS) metadata[key] = record.metadata[key] ?? '';
  return metadata;
}

export function fromChroma(stored: Metadata | null): MemoryMetadata {
  const m = stored ?? {};
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const metadata: MemoryMetadata = {
    kind: text(m.kind) as MemoryKind,
    source: text(m.source),
    date: Number(m.date),
    itemId: text(m.itemId),
  };
  for (const key of OPTIONAL_KEYS) {
    const value = m[key];
    if (typeof value === 'string' && value !== '') metadata[key] = value;
  }
  return metadata;
}

/** Chroma wants `$and` only around two or more clauses, and an `$in` list that is not empty. */
export function toWhere(filter: VectorFilter): Where | undefined {
  const clauses: Where[] = [];
  if (filter.kinds?.length) clauses.push({ kind: { $in: [...new Set(filter.kinds)] } });
  if (filter.source !== undefined) clauses.push({ source: { $eq: filter.source } });
  // Whole-millisecond dates: rounding a bound up keeps `>=` and `<` exact, and the operand an integer.
  if (filter.since !== undefined && Number.isFinite(filter.since)) {
    clauses.push({ date: { $gte: Math.ceil(filter.since) } });
  }
  if (filter.until !== undefined && Number.isFinite(filter.until)) {
    clauses.push({ date: { $lt: Math.ceil(filter.until) } });
  }
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}
