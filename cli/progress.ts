import type { ProgressEvent } from '../core/types.ts';

/** Live per-source progress, one line per event, for stderr. */
export function progressPrinter(stream: NodeJS.WritableStream): (event: ProgressEvent) => void {
  return (event) => {
    const line = describeProgress(event);
    if (line) stream.write(`${line}\n`);
  };
}

export function describeProgress(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'phase':
      return event.phase === 'fetch'
        ? 'Fetching sources…'
        : event.phase === 'compose'
          ? 'Writing the brief…'
          : undefined;
    case 'source-started':
      return `  … ${event.source}`;
    case 'source-finished':
      return `  ✓ ${event.source}: ${event.itemCount} item${event.itemCount === 1 ? '' : 's'} in ${seconds(event.durationMs)}`;
    case 'source-failed':
      return `  ✗ ${event.source}: ${event.error}${event.staleCount ? ` (showing ${event.staleCount} earlier items)` : ''}`;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
