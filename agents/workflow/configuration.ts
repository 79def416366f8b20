import type { Connector } from '../../connectors/types.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';
import type { Memory } from '../memory/memory.ts';
import type { LoadedSettings } from '../../core/settings.ts';
import type { Store } from '../../core/store/store.ts';
import type { ProgressEvent, RefreshTrigger } from '../../core/types.ts';

/** Everything a refresh needs, handed in explicitly: the graph holds no globals. */
export interface WorkflowDeps {
  settings: LoadedSettings;
  store: Store;
  clock: Clock;
  connectors: Connector[];
  runId: string;
  trigger: RefreshTrigger;
  startedAt: Date;
  signal: AbortSignal;
  onProgress: (event: ProgressEvent) => void;
  demo: boolean;
  log: Logger;
  /** The RAG memory, when it could be opened; refreshes work without it. */
  memory?: Memory;
  /** Said once when memory fell back to a lesser back end. */
  memoryNotice?: string;
}
