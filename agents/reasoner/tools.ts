import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../core/store/store.ts';
import type { Item } from '../../core/types.ts';
import type { Memory, MemoryHit } from '../memory/memory.ts';
import type { HandleBook } from './handles.ts';
import { itemBlock } from './prompts.ts';

/**
 * The reasoner's tools. All of them only read the app's own store: nothing here can send, delete
 * or change anything. A call to any other name is refused and logged.
 */

const kind = z.enum(['email', 'event', 'news', 'weather']).optional().describe('only items of this kind');
const date = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'use YYYY-MM-DD')
    .optional()
    .describe(what);

const searchArgs = z.object({
  query: z.string().min(1).max(200).describe('keywords, names or phrases'),
  kind,
  since: date('only items on or after this date (YYYY-MM-DD)'),
  until: date('only items before this date (YYYY-MM-DD)'),
  limit: z.int().min(1).max(10).optional(),
});
const getArgs = z.object({ id: z.string().min(1).max(200).describe('an item id exactly as given') });
const listArgs = z.object({
  kind,
  since: date('only items on or after this date (YYYY-MM-DD)'),
  until: date('only items before this date (YYYY-MM-DD)'),
  limit: z.int().min(1).max(20).optional(),
});

export const TOOL_NAMES = ['search_memory', 'get_item', 'list_items'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
const ALLOWED: ReadonlySet<string> = new Set(TOOL_NAMES);

export interface ToolContext {
  store: Store;
  timezone: string;
  log: Logger;
  /** Semantic + keyword memory; without it, search_memory is keyword search over the store. */
  memory?: Memory;
  signal?: AbortSignal;
  /** Items are shown by short handle and looked up by handle or id; without it, by id. */
  handles?: HandleBook;
}

function searchMemory(memory: Memory, args: z.infer<typeof searchArgs>, signal: AbortSignal | undefined) {
  const day = (d: string | undefined) => (d ? Date.parse(d.slice(0, 10)) : undefined);
  const since = day(args.since);
  const until = day(args.until);
  return memory.search(
    args.query,
    {
      ...(args.kind ? { kinds: [args.kind] } : {}),
      ...(since !== undefined && !Number.isNaN(since) ? { since } : {}),
      ...(until !== undefined && !Number.isNaN(until) ? { until } : {}),
      limit: args.limit ?? 5,
    },
    signal ?? new AbortController().signal,
  );
}

/** Hits as data blocks: stored items in full form, remembered briefs and actions by their text. */
function memoryBlocks(hits: MemoryHit[], context: ToolContext): string {
  if (!hits.length) return 'No matching items.';
  return hits
    .map((hit) => {
      const item = context.store.getItem(hit.itemId);
      if (item && hit.kind !== 'brief' && hit.kind !== 'action') return blocks([item], context, LIST_TEXT_CHARS);
      return itemBlock(
        {
          id: hit.id,
          kind: 'news',
          source: hit.kind,
          origin: `earlier ${hit.kind}`,
          title: hit.title,
          snippet: hit.document,
          tags: [],
        },
        { timezone: context.timezone, textChars: LIST_TEXT_CHARS },
      );
    })
    .join('\n');
}

export const FULL_TEXT_CHARS = 3000;
const LIST_TEXT_CHARS = 200;

export function blocks(items: Item[], context: ToolContext, textChars: number): string {
  if (!items.length) return 'No matching items.';
  return items
    .map((i) => {
      const handle = context.handles?.handleFor(i.id, i.kind);
      return itemBlock(i, { timezone: context.timezone, textChars, ...(handle ? { handle } : {}) });
    })
    .join('\n');
}

/** Tool definitions, for `bindTools`; they run through `runToolCall`, which enforces the allow-list. */
export function reasonerTools(context: ToolContext): StructuredToolInterface[] {
  return [
    tool(
      async (args) => {
        if (context.memory) return memoryBlocks(await searchMemory(context.memory, args, context.signal), context);
        return blocks(
          context.store.searchItems(args.query, {
            ...(args.kind ? { kind: args.kind } : {}),
            ...(args.since ? { since: args.since } : {}),
            ...(args.until ? { until: args.until } : {}),
            limit: args.limit ?? 5,
          }),
          context,
          LIST_TEXT_CHARS,
        );
      },
      {
        name: 'search_memory',
        description:
          'Search everything remembered (emails, events, news, earlier briefs and action items) by meaning and by exact names, best matches first.',
        schema: searchArgs,
      },
    ),
    tool(
      (args) => {
        const item = context.store.getItem(context.handles?.idFor(args.id) ?? args.id);
        return item ? blocks([item], context, FULL_TEXT_CHARS) : `No item with id ${args.id}.`;
      },
      { name: 'get_item', description: 'The full text of one item, by its id.', schema: getArgs },
    ),
    tool(
      (args) =>
        blocks(
          context.store.listItems({
            ...(args.kind ? { kind: args.kind } : {}),
            ...(args.since ? { since: args.since } : {}),
            ...(args.until ? { until: args.until } : {}),
            limit: args.limit ?? 10,
          }),
          context,
          LIST_TEXT_CHARS,
        ),
      { name: 'list_items', description: 'Stored items of a kind in a date range, newest first.', schema: listArgs },
    ),
  ];
}

export interface ToolCallRequest {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

export interface ToolCallResult {
  content: string;
  refused: boolean;
}

/** Runs one call the model asked for: refused unless allowed, arguments validated, errors returned as text. */
export async function runToolCall(
  call: ToolCallRequest,
  tools: StructuredToolInterface[],
  context: ToolContext,
): Promise<ToolCallResult> {
  const found = tools.find((t) => t.name === call.name);
  if (!ALLOWED.has(call.name) || !found) {
    context.log.warn({ tool: call.name.slice(0, 80) }, 'refused a tool call outside the allow-list');
    return {
      content: `Refused: "${call.name.slice(0, 80)}" is not an available tool. Only ${TOOL_NAMES.join(', ')} exist, and they are read-only.`,
      refused: true,
    };
  }
  try {
    const output: unknown = await found.invoke(call.args);
    return { content: typeof output === 'string' ? output : JSON.stringify(output), refused: false };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { content: `The tool call failed: ${message ?? 'invalid arguments'}`, refused: false };
  }
}
