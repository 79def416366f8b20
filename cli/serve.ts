import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { AppError } from '../core/errors.ts';
import { resolveDataDir } from '../core/paths.ts';
import { contextOf } from './run.ts';

export const RENDERER_DIR = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

interface ServeCommandOptions {
  port: number;
  host?: string;
  schedule: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new AppError('invalid_port', `--port ${value} is not a port number`, {
      hint: 'Give 0–65535 (0: any free port)',
    });
  }
  return n;
}

/** `daily-brief serve`: the app in a browser, on loopback unless --host says otherwise, with the user's schedule. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the app to a browser: the brief, refresh, history, ask and settings (loopback only by default)')
    .addOption(new Option('--port <n>', 'port to listen on (0: any free port)').argParser(port).default(0))
    .option(
      '--host <address>',
      'address to bind; anything but loopback lets other machines reach it (default 127.0.0.1)',
    )
    .option('--no-schedule', 'do not refresh on the schedule in settings (schedule.dailyAt, everyMinutes)')
    .action(async (options: ServeCommandOptions, command: Command) => {
      if (!existsSync(`${RENDERER_DIR}index.html`)) {
        throw new AppError('renderer_missing', 'the UI is not built yet (dist/renderer is missing)', {
          hint: 'Run `npm run build:renderer`, then `daily-brief serve` again',
        });
      }
      const context = contextOf(command);
      // Loaded here, so that `show` and the other commands never pay for the runtime and the server.
      const { AppRuntime } = await import('../app/runtime.ts');
      const { isLoopback, startServe } = await import('../app/serve/server.ts');
      const host = options.host ?? '127.0.0.1';
      const runtime = await AppRuntime.start({
        dataDir: resolveDataDir(context.dataDir),
        demo: context.demo ?? false,
        verbose: context.verbose ?? false,
        schedule: options.schedule && !context.demo,
        watchSettings: !context.demo,
        invalidAtStart: 'defaults',
        report: (line) => process.stderr.write(`daily-brief: ${line}\n`),
      });
      const server = await startServe({
        dispatch: runtime.dispatch,
        subscribe: (listener) => runtime.subscribe(listener),
        rendererDir: RENDERER_DIR,
        host,
        port: options.port,
      }).catch(async (error: unknown) => {
        await runtime.stop();
        const code = (error as NodeJS.ErrnoException).code ?? '';
        throw new AppError('serve_failed', `could not listen on ${host}:${options.port} (${code || String(error)})`, {
          hint: code === 'EADDRINUSE' ? 'Pick another --port, or 0 for any free one' : 'Check --host and --port',
          cause: error,
        });
      });
      // Listening for the stop signals before the URL is out: a script may read it and stop serve at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      // The URL is the first line, so scripts and tests can read it and nothing else.
      process.stdout.write(`${server.url}\n`);
      if (!isLoopback(host)) {
        process.stderr.write(
          `daily-brief: warning: listening on ${host}, so other machines can reach the app; the token in the URL is all that guards it\n`,
        );
      }
      await stopped;
      await server.close();
      await runtime.stop('serve is stopping');
    });
}
