import type { Connector } from '../../connectors/types.ts';
import type { Item } from '../../core/types.ts';

export interface FakeBehaviour {
  items?: Item[];
  delayMs?: number;
  fail?: string;
  /** Never resolves and ignores its signal: the workflow's own timer must cut it off. */
  hang?: boolean;
}

/** An in-process connector whose behaviour a test can change between refreshes. */
export function fakeConnector(id: string, behaviour: FakeBehaviour) {
  const state = { behaviour, calls: 0, inFlight: 0, maxInFlight: 0 };
  const connector: Connector = {
    id,
    label: id,
    kinds: ['news'],
    enabled: () => true,
    fetch: async () => {
      state.calls++;
      state.inFlight++;
      try {
        const b = state.behaviour;
        if (b.hang) await new Promise(() => undefined);
        if (b.delayMs) await new Promise((resolve) => setTimeout(resolve, b.delayMs));
        if (b.fail) throw new Error(b.fail);
        return { items: b.items ?? [], warnings: [] };
      } finally {
        state.inFlight--;
      }
    },
  };
  return { connector, state };
}

export function newsItem(source: string, n: number, overrides: Partial<Item> = {}): Item {
  return {
    id: `${source}:${n}`,
    kind: 'news',
    source,
    origin: `${source} feed`,
    title: `${source} story ${n}`,
    snippet: `snippet ${n}`,
    url: `https://example.com/${source}/${n}`,
    publishedAt: '2026-12-01T06:00:00.000Z',
    category: 'tech',
    tags: [],
    ...overrides,
  };
}
