import type { Item } from '../../core/types.ts';

/**
 * Short citation handles. A 7B model copies "E03" reliably; it drops or mangles characters of a
 * 22-character hashed id. Each item the model is shown gets a handle by kind (E email, C calendar,
 * N news, W weather), numbered in the order shown, with a fixed number of digits: then dropping or
 * adding one character never turns a handle into another valid one (E12 -> E1 is not a handle), so a
 * sloppy copy is either recovered (case, brackets) or rejected, never silently pinned on another item.
 */
const PREFIX: Record<Item['kind'], string> = { email: 'E', event: 'C', news: 'N', weather: 'W' };
const HANDLE = /^[ECNW]\d+$/;
/** Ids shorter than this are not matched with a character off: two short ids are too often one edit apart. */
const FUZZY_MIN_LENGTH = 10;

export type CitationMatch = 'exact' | 'recovered';

export interface ResolvedCitation {
  id: string;
  match: CitationMatch;
}

export class HandleBook {
  private readonly idByHandle = new Map<string, string>();
  private readonly handleById = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  /** Fixed for the book's life, so every handle has the same length. */
  private readonly digits: number;

  constructor(digits = 2) {
    this.digits = digits;
  }

  /** The item's handle, given on first sight and kept. */
  handleFor(id: string, kind: Item['kind']): string {
    const handle = this.peek(id, kind);
    if (!this.handleById.has(id)) {
      this.counts.set(PREFIX[kind], (this.counts.get(PREFIX[kind]) ?? 0) + 1);
      this.idByHandle.set(handle, id);
      this.handleById.set(id, handle);
    }
    return handle;
  }

  /** The handle the item has or would get, without giving it one (to size a block before it is kept). */
  peek(id: string, kind: Item['kind']): string {
    const known = this.handleById.get(id);
    if (known) return known;
    const n = (this.counts.get(PREFIX[kind]) ?? 0) + 1;
    return `${PREFIX[kind]}${String(n).padStart(this.digits, '0')}`;
  }

  /** A handle or an exact id, as a tool argument: the item's id, or undefined. */
  idFor(reference: string): string | undefined {
    const handle = normalise(reference);
    return this.idByHandle.get(handle) ?? (this.handleById.has(reference) ? reference : undefined);
  }

  handleOf(id: string): string | undefined {
    return this.handleById.get(id);
  }

  /**
   * A citation from the model's reply, mapped back to an item id, if it names one of the items the
   * request showed (`shown`: their ids). Exact handles and exact ids match; a handle in the wrong case
   * or wrapped in brackets, and a long id in the wrong case or one character off from exactly one
   * shown id, are recovered. Anything else is rejected (undefined).
   */
  resolve(cited: string, shown: ReadonlySet<string>): ResolvedCitation | undefined {
    const named = this.idByHandle.get(cited);
    if (named && shown.has(named)) return { id: named, match: 'exact' };
    if (shown.has(cited)) return { id: cited, match: 'exact' };
    const handle = normalise(cited);
    const byHandle = HANDLE.test(handle) ? this.idByHandle.get(handle) : undefined;
    if (byHandle && shown.has(byHandle)) return { id: byHandle, match: 'recovered' };
    const bare = stripWrapping(cited);
    if (bare.length < FUZZY_MIN_LENGTH) return undefined;
    const lower = bare.toLowerCase();
    const candidates = [...shown];
    const sameLetters = candidates.filter((id) => id.toLowerCase() === lower);
    const near = sameLetters.length ? sameLetters : candidates.filter((id) => withinOneEdit(id.toLowerCase(), lower));
    return near.length === 1 && near[0] ? { id: near[0], match: 'recovered' } : undefined;
  }
}

function stripWrapping(text: string): string {
  return text.trim().replace(/^[[({"'`]+|[\])}"'`.,;:]+$/g, '');
}

function normalise(text: string): string {
  return stripWrapping(text).toUpperCase();
}

/** True when b is a with one character dropped, added or changed. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  const tailLong = long.slice(i + 1);
  const tailShort = long.length === short.length ? short.slice(i + 1) : short.slice(i);
  return tailLong === tailShort;
}
