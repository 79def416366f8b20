import type { AskResult } from '../contract/results.ts';
import { dueWords } from '../core/due.ts';
import { addDays, localDate, localTime } from '../core/time.ts';
import type { CheckStatus, DoctorReport } from '../app/doctor.ts';
import type { Brief, BriefItem, BriefSection, SourceHealth, SourceStatus } from '../core/types.ts';

interface FormatOptions {
  color?: boolean;
  /** Each item's id (for `daily-brief feedback`), its vote and its "why this" reasons. */
  why?: boolean;
  /**
   * The model's failure, each source's error and the notes. Said in full the first time a brief is read;
   * after that one line points to them, so a daily `show` does not repeat the same failure every time.
   */
  details?: boolean;
}

/** The brief as terminal text. Every line carries its source: a link, a feed name or an item id. */
export function formatBrief(brief: Brief, options: FormatOptions = {}): string {
  const c = palette(options.color ?? false);
  const details = options.details ?? true;
  const tz = brief.timezone;
  const lines: string[] = [];
  const by =
    brief.generator.mode === 'llm' && brief.generator.model ? `by ${brief.generator.model}` : 'without a model';
  lines.push(
    c.bold(`Daily Brief · ${longDate(brief.date)}`) + c.dim(` · written ${localTime(brief.generatedAt, tz)} ${by}`),
  );
  if (brief.demo) lines.push(c.dim('Sample day (--demo)'));
  if (details && brief.generator.fallbackReason) lines.push(c.dim(`Model: ${brief.generator.fallbackReason}`));
  if (details && brief.generator.repairs?.length) lines.push(c.dim(`Model: ${brief.generator.repairs.join('; ')}`));
  lines.push('');

  lines.push(c.bold('TL;DR'));
  if (!brief.tldr.length) lines.push('  Nothing new from your sources yet.');
  brief.tldr.forEach((bullet, index) => {
    lines.push(`  ${index + 1}. ${bullet.text} ${c.dim(`[${bullet.itemIds.join(', ')}]`)}`);
  });
  lines.push('');

  if (brief.summary) {
    lines.push(c.bold('Summary'), `  ${brief.summary}`, '');
  }
  if (brief.actionItems?.length) {
    lines.push(c.bold('To do'));
    for (const action of brief.actionItems) {
      lines.push(
        `  ☐ ${action.text}${action.due ? ` (due ${dueWords(action.due, brief.date)})` : ''} ${c.dim(`[${action.itemIds.join(', ')}]`)}`,
      );
    }
    lines.push('');
  }
  if (brief.insights?.length) {
    lines.push(c.bold('Insights'));
    for (const insight of brief.insights) lines.push(`  • ${insight.text} ${c.dim(`[${insight.itemIds.join(', ')}]`)}`);
    lines.push('');
  }

  if (brief.weather) {
    const w = brief.weather;
    const asOf = w.stale ? c.dim(' (earlier forecast: the weather source failed)') : '';
    lines.push(`${c.bold('Weather')}  ${w.summary}${asOf}`);
    for (const advice of w.advice) lines.push(`  → ${advice}`);
    lines.push('');
  }

  for (const section of brief.sections) {
    lines.push(c.bold(section.title));
    // Items already shown on an earlier day, unchanged, come last and briefly: they are not news.
    const seen = section.items.filter((item) => item.firstShownOn);
    for (const item of section.items.filter((i) => !i.firstShownOn)) {
      lines.push(...formatItem(section, item, brief.date, tz, c));
      if (options.why) lines.push(...formatWhy(item, c));
    }
    if (seen.length) {
      lines.push(c.dim(`  Seen before (${seen.length === 1 ? '1 item' : `${seen.length} items`}):`));
      for (const item of seen) {
        lines.push(c.dim(`    ${item.title} (first shown ${shortDate(item.firstShownOn ?? '')})`));
        if (options.why) lines.push(...formatWhy(item, c));
      }
    }
    lines.push('');
  }

  lines.push(...(details ? formatSourceDetails(brief, c) : formatSourceSummary(brief, c)));
  return `${lines.join('\n')}\n`;
}

function formatSourceDetails(brief: Brief, c: Palette): string[] {
  const lines = [c.bold('Sources')];
  for (const source of brief.sources.filter((s) => s.status !== 'disabled')) {
    lines.push(`  ${formatStatus(source, brief.timezone)}`);
    for (const warning of source.warnings ?? []) lines.push(c.dim(`      ${warning}`));
  }
  const off = brief.sources.filter((s) => s.status === 'disabled').map((s) => s.id);
  if (off.length) lines.push(c.dim(`  Off: ${off.join(', ')}`));
  for (const notice of brief.notices) lines.push(c.dim(`Note: ${notice}`));
  return lines;
}

/** One line for what went wrong when this brief was written, or nothing when nothing did. */
function formatSourceSummary(brief: Brief, c: Palette): string[] {
  const failed = brief.sources.filter((s) => s.status === 'error').map((s) => s.id);
  const notes = brief.notices.length;
  if (!failed.length && !notes && !brief.generator.fallbackReason) return [];
  const what = failed.length ? `${plural(failed.length, 'source')} failed (${failed.join(', ')}). ` : '';
  const extra = notes ? `, with ${plural(notes, 'note')}` : '';
  return [c.dim(`${what}\`daily-brief show --details\` says why${extra}.`)];
}

function formatWhy(item: BriefItem, c: Palette): string[] {
  const vote = item.vote === 'up' ? ' · you asked for more' : item.vote === 'down' ? ' · you asked for less' : '';
  const out = [c.dim(`    id ${item.id}${vote}`)];
  if (item.reasons?.length) out.push(c.dim(`    why this: ${item.reasons.join('; ')}`));
  return out;
}

function formatItem(section: BriefSection, item: BriefItem, today: string, tz: string, c: Palette): string[] {
  const stale = item.stale ? c.dim(' (stale)') : '';
  if (section.kind === 'calendar') {
    const allDay = item.meta?.allDay === true;
    const time = allDay
      ? 'all day    '
      : `${localTime(item.start ?? '', tz)}–${localTime(item.end ?? item.start ?? '', tz)}`;
    const where = typeof item.meta?.location === 'string' && item.meta.location ? ` · ${item.meta.location}` : '';
    const date = item.start ? localDate(item.start, tz) : today;
    const day = date === today ? '' : date === addDays(today, 1) ? 'Tomorrow ' : `${date} `;
    const line = `  ${day}${time}  ${item.title}${where}${changed(item)}${stale}`;
    const out = item.why ? [line, `    ↳ ${item.why}`] : [line];
    for (const related of item.related ?? []) out.push(c.dim(`    before it: ${related.title} (${related.why})`));
    return out;
  }
  const by = item.kind === 'email' ? (item.author ?? item.source) : (item.origin ?? item.source);
  const extra = [
    typeof item.meta?.score === 'number' ? plural(item.meta.score, 'point') : '',
    typeof item.meta?.comments === 'number' ? plural(item.meta.comments, 'comment') : '',
    item.alsoFrom?.length ? `also in ${plural(item.alsoFrom.length, 'source')}` : '',
  ]
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join('');
  const out = [`  • ${item.title}${changed(item)} ${c.dim(`— ${by}${extra}`)}${stale}`];
  if (item.why) out.push(`    ↳ ${item.why}`);
  if (item.snippet && item.kind === 'email') out.push(`    ${clip(item.snippet, 160)}`);
  if (item.url) out.push(c.dim(`    ${item.url}`));
  return out;
}

/** " (updated: moved to 15:00)" for an item shown before that has changed since. */
function changed(item: BriefItem): string {
  if (!item.updated) return '';
  return item.change ? ` (updated: ${item.change})` : ' (updated)';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shortDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

function formatStatus(status: SourceStatus, tz: string): string {
  if (status.status === 'ok') return `✓ ${status.id}: ${plural(status.itemCount, 'item')}`;
  if (status.status === 'disabled') return `- ${status.id}: off`;
  const stale = status.staleItemCount
    ? ` (showing ${status.staleItemCount} earlier item${status.staleItemCount === 1 ? '' : 's'}${status.dataAsOf ? ` from ${localDateTime(status.dataAsOf, tz)}` : ''})`
    : '';
  return `✗ ${status.id}: ${status.error ?? 'failed'}${stale}`;
}

function localDateTime(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatSources(health: SourceHealth[], tz: string): string {
  if (!health.length) return 'No refresh has run yet. Run `daily-brief refresh`.\n';
  const when = (iso: string | undefined): string => (iso ? localDateTime(iso, tz) : 'never');
  const rows = health.map((h) => [
    h.id,
    h.status,
    String(h.itemCount),
    when(h.lastSuccessAt),
    h.lastError ? `${when(h.lastErrorAt)}: ${h.lastError}` : '',
  ]);
  const header = ['SOURCE', 'STATUS', 'ITEMS', 'LAST SUCCESS', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

const CHECK_MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** One line per check (the fix after an arrow), then a summary that says whether anything is broken. */
export function formatDoctor(report: DoctorReport): string {
  const lines = report.checks.map(
    (check) => `${CHECK_MARK[check.status]} ${check.detail}${check.fix ? ` → ${check.fix}` : ''}`,
  );
  const count = (status: CheckStatus): number => report.checks.filter((c) => c.status === status).length;
  const rest = [`${count('ok')} ok`];
  if (count('warn')) rest.push(plural(count('warn'), 'warning'));
  if (count('skip')) rest.push(`${count('skip')} skipped`);
  const failed = count('fail');
  lines.push(
    '',
    failed
      ? `${plural(failed, 'problem')} to fix (${rest.join(', ')}).`
      : `Everything Daily Brief needs is in place (${rest.join(', ')}).`,
  );
  return `${lines.join('\n')}\n`;
}

function longDate(date: string): string {
  const at = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(at);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

interface Palette {
  bold: (s: string) => string;
  dim: (s: string) => string;
}

function palette(color: boolean): Palette {
  if (!color) return { bold: (s) => s, dim: (s) => s };
  return { bold: (s) => `\u001b[1m${s}\u001b[22m`, dim: (s) => `\u001b[2m${s}\u001b[22m` };
}

/** An answer from memory, with numbered sources the reader can open. */
export function formatAnswer(result: AskResult): string {
  const lines = [result.answer, ''];
  if (result.citations.length) {
    lines.push('Sources:');
    result.citations.forEach((c, i) => {
      lines.push(`  [${i + 1}] ${c.title} (${c.itemId})${c.url ? `\n      ${c.url}` : ''}`);
    });
  }
  if (result.mode === 'search' && result.fallbackReason) lines.push('', `Model: ${result.fallbackReason}`);
  return `${lines.join('\n')}\n`;
}
