import { prepareMeetings, type MemoryLookup } from '../../brief/meeting-prep.ts';
import { buildTldr } from '../../brief/tldr.ts';
import type { Item } from '../../../core/types.ts';
import type { WorkflowDeps } from '../configuration.ts';
import type { BriefStateType, BriefStateUpdate } from '../state.ts';

/** Mail older than this is rarely what a meeting today needs. */
const EMAIL_DAYS = 14;

/** Today's meetings, prepared: related mail from this run and the store, and hybrid memory search. */
export function prepareNode(deps: WorkflowDeps) {
  return async (state: BriefStateType): Promise<BriefStateUpdate> => {
    const brief = state.brief;
    if (!brief) throw new Error('prepare reached without a brief');
    const now = deps.clock.now();
    const since = new Date(now.getTime() - EMAIL_DAYS * 86_400_000).toISOString();
    const stored = deps.store.listItems({ kind: 'email', since, limit: 50 });
    const emails = [...new Map<string, Item>([...stored, ...state.items].map((i) => [i.id, i])).values()];
    const memory = deps.memory;
    const lookup: MemoryLookup | undefined = memory && {
      search: async (query) => memory.search(query, { limit: 6, since: now.getTime() - 30 * 86_400_000 }, deps.signal),
    };
    const timezone = deps.settings.settings.location.timezone;
    const prepared = await prepareMeetings(brief, { emails, now, timezone, ...(lookup ? { memory: lookup } : {}) });
    // The calendar sentence says how much there is to read before the next meeting.
    return { brief: { ...prepared, tldr: buildTldr(prepared.sections, now, timezone) } };
  };
}
