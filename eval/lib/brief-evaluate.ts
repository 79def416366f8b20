/**
 * eval:brief: the brief's substance measured on a generated corpus with known answers. Deterministic:
 * the same seed gives the same corpus and the same figures, which eval/brief.test.ts checks.
 */
import { createRandom } from '../../bench/lib/random.ts';
import type { Brief, Item } from '../../core/types.ts';
import { findDeadline } from '../../agents/brief/actions.ts';
import { clusterPairs, clusterStories } from '../../agents/brief/cluster.ts';
import { composeExtractiveBrief } from '../../agents/brief/extractive.ts';
import { claimsOf, itemSourceText, missingClaims } from '../../agents/brief/grounding.ts';
import { RELATED_MAX, relatedTo } from '../../agents/brief/meeting-prep.ts';
import { historyOf } from '../../agents/brief/repeats.ts';
import { scoreItem } from '../../agents/ranking/baseline.ts';
import type { RankedItem } from '../../agents/workflow/state.ts';
import { COMPANIES, storyDay, type StoryReport } from './stories.ts';
import { DEADLINE_CASES, PROMO_CASES, SENT, ZONE, deadlineMail, meetingCase } from './mail.ts';

export interface BriefEvalOptions {
  seed: number;
  days: number;
  storiesPerDay: number;
  meetings: number;
}

export const DEFAULT_BRIEF_EVAL: BriefEvalOptions = { seed: 20261214, days: 6, storiesPerDay: 30, meetings: 40 };

export interface PrecisionRecall {
  precision: number;
  recall: number;
  found: number;
  expected: number;
}

export interface BriefEvalReport {
  clusters: PrecisionRecall & { items: number };
  repeats: { unchangedShown: number; unchangedInLead: number; leadShare: number; updated: number; flagged: number };
  meetingPrep: { meetings: number; recallAt3: number };
  deadlines: PrecisionRecall;
  grounding: PrecisionRecall & { lines: number };
}

const DAY_MS = 86_400_000;
const START = Date.parse('2026-12-01T12:00:00.000Z'); // 07:00 in New York

export async function evaluateBrief(options: BriefEvalOptions = DEFAULT_BRIEF_EVAL): Promise<BriefEvalReport> {
  const rnd = createRandom(options.seed);
  const days = Array.from({ length: options.days }, (_, d) =>
    storyDay(rnd, d, options.storiesPerDay, START + d * DAY_MS),
  );
  return {
    clusters: clusters(days),
    repeats: repeats(days, createRandom(options.seed + 1)),
    meetingPrep: await meetingPrep(options.meetings, createRandom(options.seed + 2)),
    deadlines: deadlines(),
    grounding: grounding(days.flat(), createRandom(options.seed + 3)),
  };
}

function ranked(items: Item[], now: Date): RankedItem[] {
  return items
    .map((item) => ({ item, stale: false, score: scoreItem(item, false, { now, timezone: ZONE }) }))
    .sort((a, b) => b.score - a.score || a.item.id.localeCompare(b.item.id));
}

function pr(truePositives: number, found: number, expected: number): PrecisionRecall {
  return {
    precision: found ? truePositives / found : 1,
    recall: expected ? truePositives / expected : 1,
    found,
    expected,
  };
}

/** Every pair of reports of one story is a pair to find; every other pair is one to leave apart. */
function clusters(days: StoryReport[][]): BriefEvalReport['clusters'] {
  let tp = 0;
  let found = 0;
  let expected = 0;
  for (const [d, day] of days.entries()) {
    const story = new Map(day.map((r) => [r.item.id, r.story]));
    const pairs = clusterPairs(
      clusterStories(
        ranked(
          day.map((r) => r.item),
          new Date(START + d * DAY_MS),
        ),
      ),
    );
    for (const pair of pairs) {
      const [a, b] = pair.split('|');
      found++;
      if (story.get(a ?? '') === story.get(b ?? '')) tp++;
    }
    const sizes = new Map<string, number>();
    for (const r of day) sizes.set(r.story, (sizes.get(r.story) ?? 0) + 1);
    for (const n of sizes.values()) expected += (n * (n - 1)) / 2;
  }
  return { ...pr(tp, found, expected), items: days.reduce((n, d) => n + d.length, 0) };
}

/**
 * Day after day, most of yesterday's stories and unread mail come again unchanged, some stories come
 * back with their points jumped, and the brief of each day is written with the earlier ones as history.
 */
function repeats(days: StoryReport[][], rnd: ReturnType<typeof createRandom>): BriefEvalReport['repeats'] {
  const briefs: Brief[] = [];
  const out = { unchangedShown: 0, unchangedInLead: 0, leadShare: 0, updated: 0, flagged: 0 };
  let carried: Item[] = [];
  for (const [d, day] of days.entries()) {
    const now = new Date(START + d * DAY_MS);
    const date = now.toISOString().slice(0, 10);
    const jumped = new Set<string>();
    const again = carried.map((item) => {
      const score = item.meta?.score;
      if (typeof score !== 'number' || rnd.random() > 0.5) return item;
      jumped.add(item.id);
      return { ...item, meta: { ...item.meta, score: score * 3 + 150 } };
    });
    const mail = Array.from({ length: 4 }, (_, i) => dailyMail(d, i, now));
    const items = [...day.slice(0, 12).map((r) => r.item), ...again, ...mail];
    const brief = composeExtractiveBrief({
      id: `b${String(d)}`,
      ranked: ranked(items, now),
      sources: [],
      now,
      timezone: ZONE,
      dataAsOf: now.toISOString(),
      fetchMs: 0,
      notices: [],
      demo: false,
      history: historyOf(briefs, date),
    });
    const shownBefore = new Set(briefs.flatMap((b) => b.sections.flatMap((s) => s.items.flatMap(shownIds))));
    // Points are shown for a story's lead report only; a jump in a report folded under another was never seen.
    const countsShown = new Set(briefs.flatMap((b) => b.sections.flatMap((s) => s.items.map((i) => i.id))));
    // A lead is what the reader sees first: the TL;DR and each section's first item outside the "Seen
    // before" fold (a section of nothing but repeats is all fold).
    const leads = new Set([
      ...brief.sections.map((s) => s.items.find((i) => !i.firstShownOn)?.id ?? ''),
      ...brief.tldr.flatMap((t) => t.itemIds),
    ]);
    for (const item of brief.sections.flatMap((s) => s.items)) {
      const ids = shownIds(item);
      if (ids.some((id) => jumped.has(id) && countsShown.has(id))) {
        out.updated++;
        if (item.updated) out.flagged++;
      } else if (ids.some((id) => shownBefore.has(id))) {
        out.unchangedShown++;
        if (leads.has(item.id)) out.unchangedInLead++;
      }
    }
    briefs.push({ ...brief, date, timings: { fetchMs: 0, totalMs: 0 } });
    // Feeds keep most of a day's stories; mail stays in the inbox.
    carried = [...items.filter((i) => i.kind === 'email' || rnd.random() < 0.7)];
  }
  out.leadShare = out.unchangedShown ? out.unchangedInLead / out.unchangedShown : 0;
  return out;
}

function shownIds(item: { id: string; alsoFrom?: { id: string }[] }): string[] {
  return [item.id, ...(item.alsoFrom ?? []).map((a) => a.id)];
}

function dailyMail(day: number, index: number, now: Date): Item {
  const who = ['Dana Reyes <dana@acme.example>', 'Li Wei <li@acme.example>', 'Sam Okafor <sam@acme.example>'];
  return {
    id: `gmail:r${String(day)}-${String(index)}`,
    kind: 'email',
    source: 'gmail',
    title: `Update ${String(day)}.${String(index)} on the ${['budget', 'launch', 'hiring', 'audit'][index] ?? 'plan'}`,
    snippet: 'The latest figures are in the shared folder.',
    author: who[(day + index) % who.length],
    publishedAt: new Date(now.getTime() - (index + 1) * 3_600_000).toISOString(),
    tags: index === 0 ? ['IMPORTANT'] : [],
  };
}

async function meetingPrep(
  count: number,
  rnd: ReturnType<typeof createRandom>,
): Promise<BriefEvalReport['meetingPrep']> {
  const now = new Date(START);
  const cases = Array.from({ length: count }, (_, i) => meetingCase(rnd, i, now));
  // Every case's mail is in one inbox: a meeting must find its own among everyone's.
  const inbox = cases.flatMap((c) => c.emails);
  let sum = 0;
  for (const c of cases) {
    const related = await relatedTo(c.event, {
      emails: inbox,
      now,
      timezone: ZONE,
      memory: { search: () => Promise.resolve(c.memory) },
    });
    sum += related.filter((r) => c.relevant.has(r.id)).length / Math.min(RELATED_MAX, c.relevant.size);
  }
  return { meetings: count, recallAt3: sum / count };
}

function deadlines(): PrecisionRecall {
  const sent = new Date(SENT);
  let tp = 0;
  let found = 0;
  let expected = 0;
  const cases: [Item, string | null][] = [
    ...DEADLINE_CASES.map(([text, due, subject], i): [Item, string | null] => [deadlineMail(i, text, subject), due]),
    ...PROMO_CASES.map((text, i): [Item, string | null] => [deadlineMail(100 + i, text, undefined, true), null]),
  ];
  for (const [mail, due] of cases) {
    const result = findDeadline(mail, ZONE, sent);
    if (due) expected++;
    if (result) found++;
    if (result && result.due === due) tp++;
  }
  return pr(tp, found, expected);
}

/**
 * Model-like lines about stories: half state only the story's own names and figures (in other words,
 * other inflections), half swap one of them for another story's. A line is flagged when a name or figure
 * it states is missing from the item it cites.
 */
function grounding(reports: StoryReport[], rnd: ReturnType<typeof createRandom>): BriefEvalReport['grounding'] {
  let tp = 0;
  let found = 0;
  let expected = 0;
  let lines = 0;
  for (const report of reports) {
    const { names, figures } = report.facts;
    if (!names.length || !figures.length) continue;
    const source = itemSourceText(report.item, ZONE);
    const name = rnd.pick(names);
    const figure = rnd.pick(figures);
    const supported = rnd.pick([
      `According to ${report.item.origin ?? 'the report'}, ${name} is at the centre of it, with ${figure} the key figure.`,
      `The story turns on ${name}'s ${figure}, as reported.`,
      `Watch ${name}: the figure is ${figure}.`,
    ]);
    let line = supported;
    const unsupported = rnd.random() < 0.5;
    if (unsupported) {
      const swapName = rnd.random() < 0.5;
      const other = swapName
        ? (COMPANIES.find((c) => !source.includes(c) && rnd.random() < 0.3) ?? 'Blue Origin')
        : String(Number(figure) + 7);
      line = swapName ? supported.replace(name, other) : supported.replace(figure, other);
      expected++;
    }
    lines++;
    const flagged = missingClaims(claimsOf(line), [source]).length > 0;
    if (flagged) found++;
    if (flagged && unsupported) tp++;
  }
  return { ...pr(tp, found, expected), lines };
}
