/**
 * Simulated users with hidden tastes. Each likes a few topics, dislikes a few, has feeds they trust or
 * find noisy and senders they care about or ignore; meetings and deadlines matter to all of them. Their
 * judgement has noise, so even a perfect learner cannot reach an NDCG of 1.
 */
import { createRandom } from '../../bench/lib/random.ts';
import { FEEDS, SENDERS, TOPICS, type CorpusItem } from './corpus.ts';

export interface SimUser {
  id: number;
  topic: Record<string, number>;
  feed: Record<string, number>;
  sender: Record<string, number>;
  /** The topic they would name at set-up. */
  interest: string;
  noise: number;
  seed: number;
}

export function makeUsers(count: number, seed: number): SimUser[] {
  const rnd = createRandom(seed);
  const users: SimUser[] = [];
  for (let id = 0; id < count; id++) {
    const topic: Record<string, number> = {};
    for (const t of TOPICS) {
      const roll = rnd.random();
      topic[t.name] = roll < 0.22 ? 1.2 : roll < 0.45 ? -1 : 0;
    }
    const favourite = rnd.pick(TOPICS).name;
    topic[favourite] = 2;
    const feed: Record<string, number> = {};
    for (const f of FEEDS) {
      const roll = rnd.random();
      feed[f.name] = roll < 0.15 ? 0.8 : roll < 0.3 ? -0.8 : 0;
    }
    const sender: Record<string, number> = {};
    for (const s of SENDERS) {
      const byRole = { manager: 1.5, colleague: 0.8, service: 0, newsletter: -0.3, promotions: -1.2 }[s.role];
      const roll = rnd.random();
      sender[s.address] = byRole + (roll < 0.2 ? 0.8 : roll < 0.4 ? -0.8 : 0);
    }
    users.push({ id, topic, feed, sender, interest: favourite, noise: 0.35, seed: seed * 31 + id });
  }
  return users;
}

/** What the item is worth to this user, before noise. Meetings and deadlines always matter. */
export function utility(user: SimUser, entry: CorpusItem): number {
  let u = user.topic[entry.topic] ?? 0;
  if (entry.feed) u += user.feed[entry.feed] ?? 0;
  if (entry.sender) u += user.sender[entry.sender] ?? 0;
  if (entry.timeBound) u = Math.max(u, 0) + 2;
  return u;
}

/** Graded relevance 0–3 for NDCG, with the user's judgement noise fixed per item. */
export function relevance(user: SimUser, entry: CorpusItem): number {
  const u = utility(user, entry) + user.noise * itemNoise(user.seed, entry.item.id);
  return Math.max(0, Math.min(3, Math.round(u + 0.6)));
}

/** A deterministic noise in [-1, 1] per (user, item). */
function itemNoise(seed: number, id: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 2654435761) >>> 0;
  return (h / 2 ** 32) * 2 - 1;
}

export function ndcgAt(k: number, ranked: number[], all: number[]): number {
  const dcg = (gains: number[]): number =>
    gains.slice(0, k).reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...all].sort((a, b) => b - a));
  return ideal === 0 ? 1 : dcg(ranked) / ideal;
}
