import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

/**
 * Structured logs. They never carry tokens, email bodies or prompts: callers log ids, counts and
 * reasons. With --verbose, debug lines (which may hold prompt sizes and model replies) also go to stderr.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const LOG_FILE = join('logs', 'daily-brief.log');

export function fileLogger(dataDir: string, options: { verbose?: boolean } = {}): Logger {
  mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const file = pino.destination({ dest: join(dataDir, LOG_FILE), sync: true, mkdir: true });
  const streams: pino.StreamEntry[] = [{ level: 'info', stream: file }];
  if (options.verbose) streams.push({ level: 'debug', stream: pino.destination({ fd: 2, sync: true }) });
  return pino({ level: options.verbose ? 'debug' : 'info', base: null }, pino.multistream(streams));
}

/** For tests: keeps every line in memory. */
export function memoryLogger(): Logger & {
  lines: { level: string; message: string; fields: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
