import { randomUUID } from 'node:crypto';
import { composeExtractiveBrief } from '../../brief/extractive.ts';
import { historyOf, isExpiredRepeat, repeatMark } from '../../brief/repeats.ts';
import type { Store } from '../../../core/store/store.ts';
import type { Brief, SourceStatus } from '../../../core/types.ts';
import { localDate } from '../../../core/time.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

export function composeNode(deps: WorkflowDeps) {
  return (state: BriefStateType): BriefStateUpdate => {
    const now = deps.clock.now();
    deps.onProgress({ type: 'phase', phase: 'compose', at: now.toISOString() });
    const outcomes = Object.values(state.outcomes);
    const disabled = deps.connectors
      .filter((c) => !c.enabled(deps.settings.settings))
      .map((c) => ({ id: c.id, status: 'disabled' as const, itemCount: 0, durationMs: 0 }));
    // Registry order, not finishing order, so the list reads the same every time.
    const order = deps.connectors.map((c) => c.id);
    const sources = [...outcomes.map((o) => o.status), ...disabled].sort(
      (a, b) => order.indexOf(a.id) - order.indexOf(b.id),
    );
    const fetchTimes = outcomes.filter((o) => o.items.length).map((o) => o.fetchedAt);
    const dataAsOf = fetchTimes.length ? fetchTimes.sort()[0] : deps.startedAt.toISOString();
    const timezone = deps.settings.settings.location.timezone;
    const today = localDate(now, timezone);
    const history = historyOf(earlierBriefs(deps.store, today), today);
    const vectors = new Map(state.rankVectors);
    const brief = composeExtractiveBrief({
      id: `brief-${now
        .toISOString()
        .replace(/[^0-9]/g, '')
        .slice(0, 14)}-${randomUUID().slice(0, 6)}`,
      ranked: state.ranked,
      sources,
      now,
      timezone,
      dataAsOf: dataAsOf ?? deps.startedAt.toISOString(),
      fetchMs: state.fetchMs,
      notices: notices(deps, sources),
      demo: deps.demo,
      history,
      ...(vectors.size ? { vectors: (id: string) => vectors.get(id) } : {}),
    });
    // Old news shown before leaves the candidates too, so a re-rank after a vote cannot bring it back.
    const byId = new Map(state.items.map((i) => [i.id, i]));
    const candidates = state.candidates.filter((c) => {
      const item = byId.get(c.itemId);
      return !item || !isExpiredRepeat(item.kind, repeatMark(item, history, timezone), today);
    });
    return { brief: { ...brief, timings: { fetchMs: state.fetchMs, totalMs: 0 } }, candidates };
  };
}

function notices(deps: WorkflowDeps, sources: SourceStatus[]): string[] {
  const out: string[] = [];
  if (deps.memoryNotice) out.push(deps.memoryNotice);
  const active = sources.filter((s) => s.status !== 'disabled');
  if (active.length && active.every((s) => s.status === 'error' && !s.itemCount)) {
    out.push(
      'No source could be reached. Check the network connection; `daily-brief sources` shows each error, and `daily-brief refresh --demo` shows a sample brief.',
    );
  }
  if (deps.demo) out.push('This is a sample day. Run `daily-brief refresh` without --demo for your own brief.');
  else if (!deps.settings.locationSet)
    out.push(
      `Weather is for ${deps.settings.settings.location.name}, the default. Set "location" in settings.json for yours.`,
    );
  return out;
}

/** The newest brief of each of the last days before today (a week is plenty for "seen before"). */
function earlierBriefs(store: Store, today: string, days = 7): Brief[] {
  const newest = new Map<string, string>();
  for (const entry of store.listBriefs(60)) {
    if (entry.date < today && !newest.has(entry.date) && newest.size < days) newest.set(entry.date, entry.id);
  }
  return [...newest.values()].flatMap((id) => store.briefById(id) ?? []);
}
