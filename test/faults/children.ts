import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI } from '../helpers/cli.ts';

export interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout (or stderr) has matched. */
  waitFor: (pattern: RegExp, stream?: 'stdout' | 'stderr') => Promise<void>;
  /** The first stdout line. */
  firstLine: Promise<string>;
}

/**
 * The fault suite's processes and folders: every `daily-brief` child and temporary directory it starts is
 * recorded, and `cleanup()` (in afterEach/afterAll) kills what is left and removes the folders.
 */
export class Faults {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();

  tempDir(prefix = 'db-fault-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.add(dir);
    return dir;
  }

  cli(args: string[], env: Record<string, string> = {}): Child {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    let stdout = '';
    let stderr = '';
    const waiters: { pattern: RegExp; stream: 'stdout' | 'stderr'; resolve: () => void }[] = [];
    const check = () => {
      for (const w of [...waiters]) {
        if (w.pattern.test(w.stream === 'stdout' ? stdout : stderr)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('close', (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal });
      });
    });
    const firstLine = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then(() => {
        reject(new Error(`exited before a line: ${stderr}`));
      });
    });
    firstLine.catch(() => undefined);
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      exited,
      firstLine,
      waitFor: (pattern, stream = 'stdout') =>
        new Promise<void>((resolve, reject) => {
          waiters.push({ pattern, stream, resolve });
          check();
          void exited.then(() => {
            reject(new Error(`exited before ${String(pattern)}:\n${stdout}\n${stderr}`));
          });
        }),
    };
  }

  /** Runs to the end. */
  async run(args: string[], env: Record<string, string> = {}) {
    const c = this.cli(args, env);
    const { code } = await c.exited;
    return { code, stdout: c.stdout(), stderr: c.stderr() };
  }

  async cleanup(): Promise<void> {
    const waits = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => {
            resolve();
          });
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(waits);
    this.children.clear();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }
}

/** Calls `serve`'s API with the token in the header, as the page does. */
export async function apiCall(base: string, token: string, call: string, args: unknown = {}, headers = {}) {
  const response = await fetch(`${base}/api/${call}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-daily-brief-token': token, ...headers },
    body: JSON.stringify(args),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string; hint?: string };
    },
  };
}

/** settings.json for a data folder whose only source is one local feed (no model, no memory, no network). */
export function localSettings(feedUrl: string): Record<string, unknown> {
  return {
    location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
    sources: {
      rss: { feeds: [{ url: feedUrl, category: 'tech', name: 'Wire' }] },
      hackernews: { enabled: false },
      weather: { enabled: false },
    },
    llm: { provider: 'none' },
    memory: { enabled: false },
    schedule: { dailyAt: '06:30' },
  };
}

/** Resolves with the first event of this type on `serve`'s event stream (opened before this returns a promise). */
export function waitForEvent(base: string, token: string, type: string, timeoutMs = 60_000): Promise<unknown> {
  const aborter = new AbortController();
  const timer = setTimeout(() => {
    aborter.abort();
  }, timeoutMs);
  return (async () => {
    const response = await fetch(`${base}/api/events`, {
      headers: { 'x-daily-brief-token': token },
      signal: aborter.signal,
    });
    if (!response.body) throw new Error('no event stream');
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        for (const line of text.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const event = JSON.parse(line.slice(5)) as { type: string };
          if (event.type === type) return event;
        }
      }
      throw new Error(`the event stream ended without a ${type} event`);
    } finally {
      clearTimeout(timer);
      aborter.abort();
    }
  })();
}
