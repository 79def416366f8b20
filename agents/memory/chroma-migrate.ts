import { ChromaNotFoundError, type ChromaClient, type Collection } from 'chromadb';
import { fromChroma } from './chroma-metadata.ts';
import type { MemoryKind, MemoryRecord } from './types.ts';

/**
 * Records written by older versions, moved into the current collections (`<name>-<kind>-v3`, with dated ids):
 * - the first versions kept every record in `<name>`;
 * - the next kept one collection per kind, `<name>-<kind>`, under the records' own ids.
 * A page at a time, written (through the store's own upsert) before it is deleted, so an interrupted move is resumed
 * on the next open and loses nothing. An emptied per-kind collection is removed; `<name>` stays, as the store's
 * name on the server.
 */

const PAGE = 500;

export type Call = <T>(what: string, run: () => Promise<T>) => Promise<T>;

export async function moveOldRecords(
  client: ChromaClient,
  base: Collection,
  kinds: readonly MemoryKind[],
  write: (records: MemoryRecord[]) => Promise<void>,
  call: Call,
): Promise<void> {
  await moveFrom(base, kinds, write, call);
  const older = await Promise.all(kinds.map((kind) => existing(client, `${base.name}-${kind}`, call)));
  for (const collection of older) {
    if (!collection) continue;
    if (await moveFrom(collection, kinds, write, call)) {
      await call('remove an old collection', () => client.deleteCollection({ name: collection.name }));
    }
  }
}

async function existing(client: ChromaClient, name: string, call: Call): Promise<Collection | undefined> {
  return call('open the collection', async () => {
    try {
      // We pass vectors ourselves: the collection's embedding function is never used.
      return await client.getCollection({ name });
    } catch (error) {
      if (error instanceof ChromaNotFoundError) return undefined;
      throw error;
    }
  });
}

/** True when the collection was emptied; records of a kind this version does not know stay, skipped by offset. */
async function moveFrom(
  from: Collection,
  kinds: readonly MemoryKind[],
  write: (records: MemoryRecord[]) => Promise<void>,
  call: Call,
): Promise<boolean> {
  for (let kept = 0; ;) {
    const page = await call('move old vectors', () =>
      from.get({ limit: PAGE, offset: kept, include: ['embeddings', 'metadatas', 'documents'] }),
    );
    if (!page.ids.length) return kept === 0;
    const records: MemoryRecord[] = [];
    page.ids.forEach((id, i) => {
      const metadata = fromChroma(page.metadatas[i] ?? null);
      const vector = page.embeddings[i];
      if (!kinds.includes(metadata.kind) || !vector) return;
      records.push({ id, vector, document: page.documents[i] ?? '', metadata });
    });
    if (records.length) {
      await write(records);
      await call('move old vectors', () => from.delete({ ids: records.map((record) => record.id) }));
    }
    kept += page.ids.length - records.length;
  }
}
