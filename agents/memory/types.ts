/** The memory's vector side: one interface, two back ends (a Chroma server, or sqlite-vec in the app's database). */

export type MemoryKind = 'email' | 'event' | 'news' | 'weather' | 'action' | 'brief' | 'feedback';

/** Metadata kept with every vector; flat scalars only, as Chroma requires. */
export interface MemoryMetadata {
  kind: MemoryKind;
  source: string;
  /** Milliseconds since the epoch: the item's start or published time (for date-range filters). */
  date: number;
  /** The store item this came from (for briefs and actions, the brief or item id). */
  itemId: string;
  sender?: string;
  feed?: string;
  category?: string;
}

export interface MemoryRecord {
  /** Unique per record; equal to itemId for items. */
  id: string;
  vector: number[];
  /** The text that was embedded (shown in answers, used for keyword fallbacks). */
  document: string;
  metadata: MemoryMetadata;
}

export interface VectorFilter {
  kinds?: MemoryKind[];
  source?: string;
  /** Inclusive lower bound on `date` (epoch ms). */
  since?: number;
  /** Exclusive upper bound on `date` (epoch ms). */
  until?: number;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity in [-1, 1], higher is closer (1 − cosine distance). */
  score: number;
  document: string;
  metadata: MemoryMetadata;
}

export interface VectorStore {
  readonly backend: 'chroma' | 'sqlite-vec';
  readonly dimensions: number | undefined;
  /** Inserts or replaces by id. */
  upsert(records: MemoryRecord[]): Promise<void>;
  /** The k nearest records that pass the filter, closest first. */
  query(vector: number[], k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  delete(ids: string[]): Promise<void>;
  /** The stored vectors of these records; ids it does not hold are left out. */
  vectors(ids: string[]): Promise<Map<string, number[]>>;
  count(): Promise<number>;
  /** Ids of records whose date is before the cutoff (for retention). */
  idsOlderThan(cutoff: number): Promise<string[]>;
  /** Every id, oldest first (for the count limit). */
  idsByAge(): Promise<string[]>;
  close(): Promise<void>;
}
