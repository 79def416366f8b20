import type { Item } from '../../core/types.ts';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import { tokenize } from '../preferences/features.ts';
import { cosine } from '../preferences/similarity.ts';
import { leadSentence } from './sentences.ts';

/**
 * One story from many sources: news items whose title and lead say the same thing are folded into one
 * cluster, led by the best-ranked report. By meaning when memory has vectors for both items, by TF-IDF
 * cosine over title and lead words otherwise (the same URL always counts as the same story). Email and
 * events never join a cluster: a message about a story is still a message to the user.
 */

/** TF-IDF cosine of title + lead at or above this is one story (tuned on eval:brief's reworded duplicates). */
export const TEXT_THRESHOLD = 0.42;
/** Raw embedding cosine for one story: nomic-style models put unrelated news at 0.4–0.6, retellings above 0.85. */
export const EMBEDDING_THRESHOLD = 0.86;
/** Title words count twice: headlines carry the names and the event, leads also carry colour. */
const TITLE_WEIGHT = 2;
/**
 * Documents assumed to lack every term, on top of the pool: a pool of five items where four mention an
 * earthquake must not make "earthquake" worthless, as a pool of two hundred would rightly not.
 */
const BACKGROUND_DOCS = 20;
const STOP = new Set(eng);
/** Fewer shared words than this is coincidence ("story 1" and "story 2"), however short the titles. */
const MIN_SHARED = 3;
/** Figures tell stories apart ("7.1", "4%", "$3bn"); the preference tokenizer leaves them out. */
const FIGURE = /\d+(?:[.,]\d+)?/g;

export interface Clustered<T extends { item: Item }> {
  lead: T;
  others: T[];
}

type Vectors = (itemId: string) => number[] | undefined;

interface Doc {
  /** One feed does not publish one story twice: its items are never a cluster (except by URL). */
  origin: string;
  /** The headline's figures: two headlines with figures and none in common are two stories ("up 12%", "up 31%"). */
  figures: string[];
  /** Names (capitalised words inside a sentence): two reports naming only different names are two stories. */
  names: Set<string>;
  tf: Map<string, number>;
  url: string | undefined;
  vector: number[] | undefined;
}

/**
 * Groups entries (in rank order, best first) into stories. Every entry lands in exactly one group;
 * groups keep the order of their leads, so the result is still ranked.
 */
export function clusterStories<T extends { item: Item }>(entries: T[], vectors?: Vectors): Clustered<T>[] {
  const news = entries.filter((e) => e.item.kind === 'news');
  const docs = new Map(news.map((e) => [e.item.id, docOf(e.item, vectors)]));
  const idf = inverseFrequencies([...docs.values()]);
  const norms = new Map([...docs].map(([id, doc]) => [id, norm(doc, idf)]));
  const groups: (Clustered<T> & { ids: string[] })[] = [];
  for (const entry of entries) {
    const doc = docs.get(entry.item.id);
    let best: { group: (typeof groups)[number]; sim: number } | undefined;
    if (doc) {
      for (const group of groups) {
        if (group.lead.item.kind !== 'news') continue;
        // Single link, so a retelling close to any report of the story joins it.
        for (const id of group.ids) {
          const other = docs.get(id);
          if (!other) continue;
          const sim = similarity(doc, other, idf, norms.get(entry.item.id) ?? 0, norms.get(id) ?? 0);
          if (sim > (best?.sim ?? 0)) best = { group, sim };
        }
      }
    }
    if (best && best.sim >= 1) {
      best.group.others.push(entry);
      best.group.ids.push(entry.item.id);
    } else groups.push({ lead: entry, others: [], ids: [entry.item.id] });
  }
  return groups.map(({ lead, others }) => ({ lead, others }));
}

/** Pairs of ids that share a cluster, for measuring. */
export function clusterPairs(groups: Clustered<{ item: Item }>[]): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups) {
    const ids = [group.lead, ...group.others].map((e) => e.item.id).sort();
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.add(`${ids[i]}|${ids[j]}`);
  }
  return pairs;
}

function docOf(item: Item, vectors: Vectors | undefined): Doc {
  const tf = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const term of [...tokenize(text), ...(text.match(FIGURE) ?? [])]) tf.set(term, (tf.get(term) ?? 0) + weight);
  };
  add(item.title, TITLE_WEIGHT);
  add(leadSentence(item.snippet) ?? '', 1);
  return {
    origin: `${item.source}/${item.origin ?? ''}`,
    figures: item.title.match(FIGURE) ?? [],
    names: namesOf(item.title, leadSentence(item.snippet) ?? ''),
    tf,
    url: item.url?.replace(/[?#].*$/, '').replace(/\/$/, ''),
    vector: vectors?.(item.id),
  };
}

/**
 * Capitalised words that are not the first of their sentence, stemmed. A Title Case headline capitalises
 * everything, so it only counts when most of its words are lower case.
 */
function namesOf(title: string, lead: string): Set<string> {
  const names = new Set<string>();
  const words = (text: string): string[] => text.match(/[\p{L}][\p{L}\p{N}'’-]*/gu) ?? [];
  const capitalised = (word: string): boolean => /^\p{Lu}/u.test(word) && !STOP.has(word.toLowerCase());
  const titleWords = words(title).filter((w) => !STOP.has(w.toLowerCase()));
  const titleCase = titleWords.filter(capitalised).length > titleWords.length / 2;
  for (const text of titleCase ? [lead] : [title, lead]) {
    words(text)
      .slice(1)
      .filter(capitalised)
      .forEach((w) => names.add(stemmer(w.toLowerCase().replace(/['’]s$/, ''))));
  }
  return names;
}

function inverseFrequencies(docs: Doc[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of doc.tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length + BACKGROUND_DOCS;
  return new Map([...df].map(([term, count]) => [term, Math.log((n + 1) / (count + 0.5))]));
}

function norm(doc: Doc, idf: Map<string, number>): number {
  let sum = 0;
  for (const [term, tf] of doc.tf) sum += (tf * (idf.get(term) ?? 0)) ** 2;
  return Math.sqrt(sum);
}

/** ≥ 1 means "the same story": each method's score divided by its own threshold. */
function similarity(a: Doc, b: Doc, idf: Map<string, number>, normA: number, normB: number): number {
  if (a.url && a.url === b.url) return 1;
  if (a.origin === b.origin) return 0;
  if (a.figures.length && b.figures.length && !a.figures.some((f) => b.figures.includes(f))) return 0;
  if (a.names.size && b.names.size && ![...a.names].some((n) => b.names.has(n))) return 0;
  let text = 0;
  if (normA && normB) {
    let dot = 0;
    let shared = 0;
    for (const [term, tf] of a.tf) {
      const other = b.tf.get(term);
      if (!other) continue;
      dot += tf * other * (idf.get(term) ?? 0) ** 2;
      shared++;
    }
    text = shared >= MIN_SHARED ? dot / (normA * normB) : 0;
  }
  const byText = text / TEXT_THRESHOLD;
  if (!a.vector || !b.vector) return byText;
  return Math.max(byText, cosine(a.vector, b.vector) / EMBEDDING_THRESHOLD);
}
