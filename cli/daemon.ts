import { Command } from 'commander';
import { resolveDataDir } from '../core/paths.ts';
import { contextOf } from './run.ts';

/** `daily-brief daemon`: registered eagerly, loaded only when it runs, so other commands stay fast. */
export function daemonCommand(): Command {
  return new Command('daemon')
    .description('run the daily schedule (schedule.dailyAt, schedule.everyMinutes) headless, until stopped')
    .action(async (_options: unknown, command: Command) => {
      const { dataDir, verbose, demo } = contextOf(command);
      const { runDaemon } = await import('./daemon-run.ts');
      const { AppRuntime } = await import('../app/runtime.ts');
      const out = (line: string) => process.stdout.write(`${line}\n`);
      // A settings file that is invalid at start is refused in one line; one that turns invalid later is
      // reported and the daemon goes on with the last good settings (SIGHUP or saving the file re-reads it).
      const runtime = await AppRuntime.start({
        dataDir: resolveDataDir(dataDir),
        verbose: verbose ?? false,
        demo: demo ?? false,
        invalidAtStart: 'fail',
        report: out,
      });
      const stop = new AbortController();
      const onStop = () => {
        stop.abort();
      };
      process.once('SIGINT', onStop);
      process.once('SIGTERM', onStop);
      try {
        await runDaemon({ runtime, stop: stop.signal, out });
      } finally {
        process.off('SIGINT', onStop);
        process.off('SIGTERM', onStop);
      }
    });
}
