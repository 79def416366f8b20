import { createHash } from 'node:crypto';
import { AppError, describeError } from '../../core/errors.ts';

/** Turns text into vectors. Documents and queries are embedded differently by some models. */
export interface Embedder {
  readonly model: string;
  embedDocuments(texts: string[], signal: AbortSignal): Promise<number[][]>;
  embedQuery(text: string, signal: AbortSignal): Promise<number[]>;
}

/** 32–64 texts per request: large enough to amortise the round trip, small enough to stay under time limits. */
export const EMBED_BATCH = 48;

/** nomic-embed-text is trained with task prefixes; without them retrieval quality drops noticeably. */
function prefixes(model: string): { document: string; query: string } {
  return model.includes('nomic-embed')
    ? { document: 'search_document: ', query: 'search_query: ' }
    : { document: '', query: '' };
}

export interface OllamaEmbedderOptions {
  baseUrl: string;
  model: string;
  timeoutMs?: number;
}

/** Embeddings through Ollama's /api/embed, via LangChain's OllamaEmbeddings (no retries: the caller decides). */
export async function ollamaEmbedder(options: OllamaEmbedderOptions): Promise<Embedder> {
  const { OllamaEmbeddings } = await import('@langchain/ollama');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { document, query } = prefixes(options.model);
  const run = async (texts: string[], signal: AbortSignal): Promise<number[][]> => {
    const limit = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    // Our own signal on every request, since the ollama client does not take LangChain's.
    const client = new OllamaEmbeddings({
      baseUrl: options.baseUrl,
      model: options.model,
      maxRetries: 0,
      fetch: (input, init) =>
        fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, limit]) : limit }),
    });
    try {
      const vectors = await client.embedDocuments(texts);
      if (vectors.length !== texts.length || vectors.some((v) => !v.length)) {
        throw new AppError('embed_bad_reply', `Ollama returned ${vectors.length} embeddings for ${texts.length} texts`);
      }
      return vectors;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const reason = limit.aborted && !signal.aborted ? `no answer within ${timeoutMs} ms` : describeError(error);
      throw new AppError('embed_failed', `could not embed with ${options.model} (${reason})`, {
        hint: `Check that Ollama runs and has the model: \`ollama pull ${options.model}\``,
        cause: error,
      });
    }
  };
  return {
    model: options.model,
    embedDocuments: (texts, signal) =>
      run(
        texts.map((t) => document + t),
        signal,
      ),
    embedQuery: async (text, signal) => (await run([query + text], signal))[0] ?? [],
  };
}

/**
 * A deterministic embedder for tests and benchmarks: hashed bag of words (and word pairs) into a
 * unit vector. Texts that share words are close, so filtered semantic search behaves sensibly,
 * and no model is needed.
 */
export function hashEmbedder(dimensions = 768, model = 'hash-embed-768'): Embedder & { calls: number; inputs: number } {
  const embed = (text: string): number[] => {
    const vector = new Array<number>(dimensions).fill(0);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const features = [...words, ...words.slice(1).map((w, i) => `${words[i] ?? ''} ${w}`)];
    for (const feature of features) {
      const digest = createHash('sha1').update(feature).digest();
      const index = digest.readUInt32LE(0) % dimensions;
      vector[index] = (vector[index] ?? 0) + (digest[4] !== undefined && digest[4] & 1 ? 1 : -1);
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  };
  const embedder = {
    model,
    calls: 0,
    inputs: 0,
    embedDocuments: (texts: string[]) => {
      embedder.calls++;
      embedder.inputs += texts.length;
      return Promise.resolve(texts.map(embed));
    },
    embedQuery: (text: string) => Promise.resolve(embed(text)),
  };
  return embedder;
}
