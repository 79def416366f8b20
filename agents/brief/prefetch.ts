import type { Brief, Item } from '../../core/types.ts';
import { localDate } from '../../core/time.ts';
import { blocks, FULL_TEXT_CHARS, type ToolContext } from '../reasoner/tools.ts';

/** How many of the top emails and of today's meetings a model without tools gets in full. */
const TOP_EMAILS = 3;
const MEETINGS = 3;
const MEETING_TEXT_CHARS = 800;

/**
 * What the look-up loop would most likely have read, read by the app instead, for a model that cannot
 * call tools: the top emails' full text, then today's meetings in detail (the prep notes, agenda and
 * attendees in their description). Best first, so cutting to the notes budget drops the least useful.
 */
export function prefetchedNotes(base: Brief, context: ToolContext): string[] {
  const ranked = base.sections.flatMap((s) => s.items);
  const stored = (ids: string[]): Item[] =>
    ids.flatMap((id) => {
      const item = context.store.getItem(id);
      return item ? [item] : [];
    });
  const emails = stored(ranked.filter((i) => i.kind === 'email').map((i) => i.id)).slice(0, TOP_EMAILS);
  const meetings = stored(
    ranked
      .filter((i) => i.kind === 'event' && i.start && localDate(i.start, base.timezone) === base.date)
      .map((i) => i.id),
  )
    .filter((i) => i.body)
    .slice(0, MEETINGS);
  return [
    ...emails.map((i) => blocks([i], context, FULL_TEXT_CHARS)),
    ...meetings.map((i) => blocks([i], context, MEETING_TEXT_CHARS)),
  ];
}

/** Said in the brief's status when the look-up loop was skipped, in words a user understands. */
export function noToolsReason(model: string): string {
  return `${model} cannot look things up (it has no tool support), so it was given the top emails and today's meetings in full instead`;
}

/** Ollama's answer when tools are sent to a model without them (ollama#9680): "… does not support tools". */
export function isNoToolsError(error: unknown): boolean {
  return error instanceof Error && /does not support tools/i.test(error.message);
}
