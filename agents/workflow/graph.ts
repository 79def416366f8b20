import { END, START, StateGraph } from '@langchain/langgraph';
import type { WorkflowDeps } from './configuration.ts';
import { composeNode } from './nodes/compose.ts';
import { fetchSourceNode } from './nodes/fetch-source.ts';
import { ingestNode } from './nodes/ingest.ts';
import { persistNode } from './nodes/persist.ts';
import { prepareNode } from './nodes/prepare.ts';
import { rankNode } from './nodes/rank.ts';
import { startWarmup, warmEarly, warmIfChanged } from './nodes/warmup.ts';
import { writeNode } from './nodes/write.ts';
import { BriefState, type BriefStateType, type BriefStateUpdate } from './state.ts';

/**
 * start -+- fetch_<source> -+- fetch-done -> ingest -> rank -> compose -> prepare -> write -> persist
 *        +- fetch_<source> -+
 * Every enabled connector gets its own node, fanned out from START; LangGraph runs them in one
 * superstep (in parallel) and `fetch-done` waits for all of them.
 */
export function buildBriefGraph(deps: WorkflowDeps) {
  // Node names come from the registry at run time, so the graph is typed with plain strings.
  const graph = new StateGraph(BriefState) as unknown as StateGraph<
    typeof BriefState.spec,
    BriefStateType,
    BriefStateUpdate,
    string
  >;
  const enabled = deps.connectors.filter((c) => c.enabled(deps.settings.settings));
  const fetchStarted = { at: 0 };
  const warmup = { done: Promise.resolve(), waiting: false };

  graph.addNode('fetch-start', () => {
    fetchStarted.at = performance.now();
    deps.onProgress({ type: 'phase', phase: 'fetch', at: deps.clock.now().toISOString() });
    // The model loads while the sources are fetched; the write step waits for it. When the brief may come
    // from the output cache, the items decide first.
    if (warmEarly(deps)) warmup.done = startWarmup(deps);
    else warmup.waiting = true;
    return {};
  });
  graph.addEdge(START, 'fetch-start');
  graph.addNode('fetch-done', () => ({ fetchMs: Math.round(performance.now() - fetchStarted.at) }));
  const fetchNodes = enabled.map((connector) => {
    const name = `fetch_${connector.id}`;
    graph.addNode(name, fetchSourceNode(connector, deps));
    graph.addEdge('fetch-start', name);
    return name;
  });
  if (fetchNodes.length) graph.addEdge(fetchNodes, 'fetch-done');
  else graph.addEdge('fetch-start', 'fetch-done');

  const ingest = ingestNode(deps);
  graph.addNode('ingest', async (state: BriefStateType) => {
    const update = await ingest(state);
    if (warmup.waiting) warmup.done = warmIfChanged(deps, update.changedIds ?? []) ?? warmup.done;
    return update;
  });
  graph.addNode('rank', rankNode(deps));
  graph.addNode('compose', composeNode(deps));
  graph.addNode('prepare', prepareNode(deps));
  graph.addNode(
    'write',
    writeNode(deps, () => warmup.done),
  );
  graph.addNode('persist', persistNode(deps));
  graph.addEdge('fetch-done', 'ingest');
  graph.addEdge('ingest', 'rank');
  graph.addEdge('rank', 'compose');
  graph.addEdge('compose', 'prepare');
  graph.addEdge('prepare', 'write');
  graph.addEdge('write', 'persist');
  graph.addEdge('persist', END);
  return graph.compile();
}
