import { Argument, Option, type Command } from 'commander';
import { ITEM_ACTIONS, MUTE_SCOPES, type ItemAction, type MuteScope } from '../core/feedback.ts';
import type { Preferences } from '../contract/results.ts';
import { AppError } from '../core/errors.ts';
import { callApp, contextOf, printJson } from './run.ts';

interface FeedbackOptions {
  by?: MuteScope;
  topic?: string;
  json?: boolean;
}

/** `feedback` and `preferences`: votes, mutes and undo, and what has been learned from them. */
export function registerFeedbackCommands(program: Command): void {
  program
    .command('feedback')
    .description('vote on an item (up or down), mute or unmute where it comes from, or undo your last action on it')
    .argument('<itemId>', 'the item, as shown by `daily-brief show --why` or `show --json`')
    .addArgument(new Argument('<action>', 'what to do').choices(ITEM_ACTIONS))
    .addOption(
      new Option('--by <scope>', 'what a mute covers (default: the sender for email, the feed for news)').choices(
        MUTE_SCOPES,
      ),
    )
    .option('--topic <words>', 'mute or unmute a topic, e.g. --topic crypto')
    .option('--json', 'print { message, brief } as JSON')
    .action(async (itemId: string, action: ItemAction, options: FeedbackOptions, command: Command) => {
      const scope = options.by ?? (options.topic ? 'topic' : undefined);
      if (scope === 'topic' && !options.topic?.trim()) {
        throw new AppError('cannot_mute', 'which topic? `--by topic` needs the words to mute', {
          hint: `Add --topic <words>, e.g. \`daily-brief feedback ${itemId} ${action} --by topic --topic crypto\``,
        });
      }
      const result = await callApp(contextOf(command), 'feedback', {
        itemId,
        action,
        ...(scope ? { scope } : {}),
        ...(options.topic ? { value: options.topic } : {}),
      });
      if (options.json) printJson(result);
      else process.stdout.write(`${result.message}\n`);
    });

  const preferences = program
    .command('preferences')
    .description('what Daily Brief has learned from your feedback: what you like, what you skip, what is muted')
    .option('--json', 'print as JSON')
    .action(async (options: FeedbackOptions, command: Command) => {
      const prefs = await callApp(contextOf(command), 'preferences/get', {});
      if (options.json) printJson(prefs);
      else process.stdout.write(formatPreferences(prefs));
    });

  preferences
    .command('reset')
    .description('forget every vote and mute (your interests in settings stay)')
    .action(async (_options: FeedbackOptions, command: Command) => {
      // contextOf reads --demo and --data-dir wherever they were given, on `preferences` or on `reset`.
      await callApp(contextOf(command), 'preferences/reset', {});
      process.stdout.write('Preferences reset: votes and mutes are forgotten, and today’s brief is re-ranked.\n');
    });
}

export function formatPreferences(prefs: Preferences): string {
  const lines: string[] = [];
  lines.push(prefs.interests.length ? `Interests: ${prefs.interests.join(', ')}` : 'Interests: none set');
  lines.push(`Feedback events: ${String(prefs.eventCount)}`, '');
  lines.push('Learned');
  if (!prefs.learned.length)
    lines.push('  Nothing yet: vote up or down on items with `daily-brief feedback <itemId> up|down`.');
  for (const entry of prefs.learned) lines.push(`  ${entry.label}`);
  lines.push('', 'Muted');
  if (!prefs.mutes.length) lines.push('  Nothing is muted.');
  for (const mute of prefs.mutes) lines.push(`  ${mute.label}`);
  return `${lines.join('\n')}\n`;
}
