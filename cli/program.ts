import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../core/errors.ts';
import type { AppEvent } from '../contract/events.ts';
import { systemTimeZone } from '../core/time.ts';
import { callApp, contextOf, printJson, withApp } from './run.ts';
import { daemonCommand } from './daemon.ts';
import { registerAccountCommands } from './accounts.ts';
import { formatAnswer, formatBrief, formatDoctor, formatSources } from './format.ts';
import { describeProgress } from './progress.ts';
import { serveCommand } from './serve.ts';
import { registerFeedbackCommands } from './feedback.ts';

interface BriefCommandOptions {
  json?: boolean;
  demo?: boolean;
  why?: boolean;
  details?: boolean;
}

export function buildProgram(): Command {
  const program = new Command('daily-brief')
    .description('A private morning brief of your email, calendar, news and weather, written on your machine.')
    .option('--data-dir <dir>', 'where settings and the database live (default: $DAILY_BRIEF_HOME or the app folder)')
    .option('--demo', 'use the bundled sample day (its own store under <data-dir>/demo) instead of your sources')
    .option('--verbose', 'print stack traces and debug detail on errors')
    .configureOutput({
      // Usage mistakes get the same one-line shape as every other error.
      outputError: (text, write) => {
        const message = text
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim()
          .replace(/\.+$/, '')
          // commander: "argument 'x' is invalid. " + our parser's reason, which starts lower-case.
          .replace(/ is invalid\. ([a-z])/, (_match, first: string) => ` is invalid. ${first.toUpperCase()}`);
        write(`daily-brief: ${message}. Run \`daily-brief --help\` for usage\n`);
      },
    });

  const json = new Option('--json', 'print the brief as JSON on stdout');

  program
    .command('refresh')
    .description('fetch every source in parallel, write a new brief and print it')
    .addOption(json)
    .action(async (options: BriefCommandOptions, command: Command) => {
      const progress = (event: AppEvent): void => {
        // --json keeps stderr for one-line failures only.
        if (options.json) return;
        const line = describeProgress(event);
        if (line) process.stderr.write(`${line}\n`);
      };
      const brief = await withApp(
        contextOf(command),
        async (call) => {
          const written = await call('refresh', { trigger: 'cli' });
          // Printed here in full, so the next `show` need not say the same failures again.
          if (!options.json) await call('brief/read', { id: written.id });
          return written;
        },
        progress,
      );
      if (options.json) printJson(brief);
      else process.stdout.write(formatBrief(brief, { color: process.stdout.isTTY }));
    });

  program
    .command('show')
    .description('print the latest brief from the cache, without fetching anything')
    .addOption(json)
    .option('--why', 'show each item’s id, your vote and why it is ranked where it is')
    .option('--details', 'say again why the model or a source failed, and the notes (said once, the first time)')
    .action(async (options: BriefCommandOptions, command: Command) => {
      const context = contextOf(command);
      const { brief, firstRead } = await withApp(context, async (call) => {
        const latest = await call('brief/latest', {});
        if (!latest || options.json) return { brief: latest, firstRead: false };
        return { brief: latest, firstRead: (await call('brief/read', { id: latest.id })).firstRead };
      });
      if (!brief) {
        throw new AppError('no_brief', 'there is no brief yet', {
          hint: `Run \`daily-brief refresh${context.demo ? ' --demo' : ''}\` to write the first one`,
        });
      }
      if (options.json) printJson(brief);
      else {
        const details = firstRead || (options.details ?? false);
        process.stdout.write(formatBrief(brief, { color: process.stdout.isTTY, why: options.why ?? false, details }));
      }
    });

  registerFeedbackCommands(program);

  program
    .command('ask')
    .description('answer a question from what the app remembers, citing the items it used')
    .argument('<question...>', 'the question, e.g. "when is the Northwind renewal review?"')
    .option('--json', 'print { answer, citations: [{ itemId, kind, title, url, source, at, snippet }], mode } as JSON')
    .action(async (words: string[], options: BriefCommandOptions, command: Command) => {
      const result = await callApp(contextOf(command), 'ask', { question: words.join(' ') });
      if (options.json) printJson({ answer: result.answer, citations: result.citations, mode: result.mode });
      else process.stdout.write(formatAnswer(result));
    });

  program
    .command('sources')
    .description('show each source’s last status, item count, last success and last error')
    .option('--json', 'print as JSON')
    .action(async (options: BriefCommandOptions, command: Command) => {
      const [health, latest] = await withApp(contextOf(command), (call) =>
        Promise.all([call('sources/status', {}), call('brief/latest', {})]),
      );
      if (options.json) printJson(health);
      // Times in the zone the briefs are written in, which is the user's, not necessarily the machine's.
      else process.stdout.write(formatSources(health, latest?.timezone ?? systemTimeZone()));
    });

  program
    .command('doctor')
    .description(
      'check everything Daily Brief needs (Node, data folder, settings, database, sources, models, accounts)',
    )
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const report = await callApp(contextOf(command), 'doctor', {});
      if (options.json) printJson(report);
      else process.stdout.write(formatDoctor(report));
      // Exit 1 without another message: the report already says what is wrong and how to fix it.
      if (!report.ok) throw new CommanderError(1, 'daily-brief.doctorFailed', 'doctor found problems');
    });

  program.addCommand(daemonCommand());
  program.addCommand(serveCommand());

  registerAccountCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, argv.includes('--verbose'));
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof AppError) {
    process.stderr.write(`daily-brief: ${error.oneLine()}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `daily-brief: unexpected error: ${message.split('\n')[0] ?? ''}. Run with --verbose for details\n`,
    );
  }
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n${causeChain(error)}`);
  return 1;
}

function causeChain(error: Error): string {
  let out = '';
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    out += `caused by: ${cause.stack ?? cause.message}\n`;
    cause = cause.cause;
  }
  return out;
}
