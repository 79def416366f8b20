import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Settings } from '../../core/settings.ts';
import type { Store } from '../../core/store/store.ts';
import { modelChain, ollamaBaseUrl } from '../llm/models.ts';
import { listModels, hasModel } from '../llm/preflight.ts';
import { ollamaEmbedder, type Embedder } from './embeddings.ts';
import { Memory } from './memory.ts';
import type { VectorStore } from './types.ts';

export type MemoryBackendChoice = 'auto' | 'chroma' | 'sqlite-vec';

export interface OpenMemoryOptions {
  dataDir: string;
  store: Store;
  settings: Settings;
  log: Logger;
  signal: AbortSignal;
  now: () => number;
  env?: NodeJS.ProcessEnv;
  /** Tests and benchmarks hand in their own embedder. */
  embedder?: Embedder;
}

export interface OpenedMemory {
  memory: Memory;
  /** One line for the user when the preferred back end was not available (said once, by the caller). */
  notice?: string;
}

/** The back end: settings.memory.backend, else $DAILY_BRIEF_MEMORY_BACKEND, else "auto". */
export function backendChoice(settings: Settings, env: NodeJS.ProcessEnv): MemoryBackendChoice {
  const fromEnv = env.DAILY_BRIEF_MEMORY_BACKEND;
  const choice = settings.memory.backend ?? (fromEnv === 'chroma' || fromEnv === 'sqlite-vec' ? fromEnv : 'auto');
  return choice;
}

/**
 * Opens the memory for one refresh or question: Chroma (the user's server, or one this process
 * starts and supervises), else sqlite-vec inside the app's database, else keyword search only.
 * It never throws: memory is an improvement, not a requirement.
 */
export async function openMemory(options: OpenMemoryOptions): Promise<OpenedMemory | undefined> {
  const { settings, log } = options;
  if (!settings.memory.enabled) return undefined;
  const env = options.env ?? process.env;
  const choice = backendChoice(settings, env);
  let vectors: VectorStore | undefined;
  let notice: string | undefined;
  let stopServer: (() => Promise<void>) | undefined;

  if (choice !== 'sqlite-vec') {
    try {
      const { openChromaStore } = await import('./chroma-store.ts');
      let url = settings.memory.chromaUrl;
      if (!url) {
        const { ChromaSupervisor } = await import('./chroma-server.ts');
        const supervisor = new ChromaSupervisor({ dataDir: options.dataDir, env, log, startTimeoutMs: 15_000 });
        url = (await supervisor.start()).url;
        stopServer = () => supervisor.stop();
      }
      vectors = await openChromaStore({ url, signal: options.signal });
    } catch (error) {
      await stopServer?.();
      stopServer = undefined;
      notice = `Chroma is not available (${describeError(error)}); memory uses the built-in SQLite vector store`;
      log.warn({ reason: describeError(error) }, 'chroma unavailable; falling back to sqlite-vec');
    }
  }
  if (!vectors) {
    try {
      const { SqliteVecStore } = await import('./sqlite-vec-store.ts');
      vectors = new SqliteVecStore(options.store.db);
    } catch (error) {
      notice = `No vector store is available (${describeError(error)}); memory search uses keywords only`;
      log.warn({ reason: describeError(error) }, 'sqlite-vec unavailable; keyword search only');
    }
  }
  const embedder = options.embedder ?? (await embedderFor(settings, env, options.signal, log));
  const memory = new Memory({
    store: options.store,
    vectors,
    embedder,
    log,
    timezone: settings.location.timezone,
    retentionDays: settings.memory.retentionDays,
    maxItems: settings.memory.maxItems,
    now: options.now,
    ...(stopServer ? { onClose: stopServer } : {}),
  });
  return notice ? { memory, notice } : { memory };
}

/**
 * Embeddings come from Ollama (the LLM chain's Ollama server, else $OLLAMA_HOST). When the model
 * is not there, there is no embedder: items wait as pending and search falls back to keywords.
 */
async function embedderFor(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  log: Logger,
): Promise<Embedder | undefined> {
  if (settings.llm.provider === 'none') return undefined;
  const ollama = modelChain(settings.llm, env).find((spec) => spec.provider === 'ollama');
  const baseUrl = ollama?.baseUrl ?? ollamaBaseUrl(undefined, env);
  const model = settings.llm.embeddingModel;
  try {
    const installed = await listModels({ provider: 'ollama', model, baseUrl }, signal, 2000);
    if (!hasModel(installed, model)) {
      log.warn({ model }, `embedding model missing; run \`ollama pull ${model}\``);
      return undefined;
    }
  } catch (error) {
    log.info({ reason: describeError(error) }, 'no embeddings this run; keyword search only');
    return undefined;
  }
  return ollamaEmbedder({ baseUrl, model, timeoutMs: settings.llm.timeoutMs });
}
