import type { AppEvent } from '../contract/events.ts';

/** Live per-source progress, one line per event, for stderr. */
export function progressPrinter(stream: NodeJS.WritableStream): (event: AppEvent) => void {
  return (event) => {
    const line = describeProgress(event);
    if (line) stream.write(`${line}\n`);
  };
}

const PHASES: Partial<Record<string, string>> = {
  fetch: 'Fetching sources…',
  reason: 'Reading the day with the local model…',
  write: 'Writing the brief…',
};

export function describeProgress(event: AppEvent): string | undefined {
  switch (event.type) {
    case 'phase':
      return PHASES[event.phase];
    case 'source-started':
      return `  … ${event.source}`;
    case 'source-finished':
      return `  ✓ ${event.source}: ${event.itemCount} item${event.itemCount === 1 ? '' : 's'} in ${seconds(event.durationMs)}`;
    case 'llm-step':
      return `  ${event.model} step ${event.step}${event.toolCalls.length ? `: ${event.toolCalls.join(', ')}` : ''}`;
    case 'llm-fallback':
      return `  ✗ ${event.reason}`;
    case 'llm-token':
      return undefined;
    case 'model-load':
      // A failed load is reported by the write step, with what to do.
      if (event.state === 'failed') return undefined;
      return event.state === 'loading' ? 'Loading the model…' : `  ✓ ${event.model} loaded`;
    case 'notice':
      return event.message;
    case 'source-failed':
      return `  ✗ ${event.source}: ${event.error}${event.staleCount ? ` (showing ${event.staleCount} earlier items)` : ''}`;
    default:
      return undefined;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
