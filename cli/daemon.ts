import { Command } from 'commander';
import { resolveDataDir } from '../core/paths.ts';

/** `daily-brief daemon`: registered eagerly, loaded only when it runs, so other commands stay fast. */
export function daemonCommand(program: Command): Command {
  return new Command('daemon')
    .description('run the daily schedule (schedule.dailyAt, schedule.everyMinutes) headless, until stopped')
    .action(async () => {
      const { dataDir, verbose } = program.opts<{ dataDir?: string; verbose?: boolean }>();
      const { runDaemon } = await import('./daemon-run.ts');
      const { BriefService } = await import('../app/service.ts');
      const { loadSettings } = await import('../core/settings.ts');
      const service = new BriefService({ dataDir: resolveDataDir(dataDir), verbose: verbose ?? false });
      const stop = new AbortController();
      const reload = new EventTarget();
      const onStop = () => {
        stop.abort();
      };
      const onHup = () => reload.dispatchEvent(new Event('reload'));
      process.once('SIGINT', onStop);
      process.once('SIGTERM', onStop);
      process.on('SIGHUP', onHup);
      try {
        await runDaemon({
          service,
          loadSettings: () => Promise.resolve(loadSettings(service.dataDir)),
          stop: stop.signal,
          reload,
          out: (line) => process.stdout.write(`${line}\n`),
        });
      } finally {
        service.close();
        process.off('SIGINT', onStop);
        process.off('SIGTERM', onStop);
        process.off('SIGHUP', onHup);
      }
    });
}
