import type { BridgeEvent } from './bridge.ts';

type Fatal = Extract<BridgeEvent, { type: 'core-failed' | 'settings-invalid' }>;

/**
 * The problems a page must hear about even if it loads after they happened: a core that could not start and
 * settings that could not be applied. A page asks for them when it subscribes (`standing`). Settings applied
 * (by a core that started, or a fixed settings.json) clear both.
 */
export class StandingProblems {
  private coreFailed: Fatal | undefined;
  private settingsInvalid: Fatal | undefined;

  note(event: BridgeEvent): void {
    if (event.type === 'core-failed') this.coreFailed = event;
    else if (event.type === 'settings-invalid') this.settingsInvalid = event;
    else if (event.type === 'settings-applied') {
      this.coreFailed = undefined;
      this.settingsInvalid = undefined;
    }
  }

  standing(): BridgeEvent[] {
    return [this.settingsInvalid, this.coreFailed].filter((event) => event !== undefined);
  }
}

/**
 * The last lines a process wrote, for the one place a packaged app can show why its core died. Stack frames
 * are left out: the message lines say what failed, the frames only where.
 */
export class OutputTail {
  private readonly kept: string[] = [];
  private partial = '';
  private readonly maxLines: number;

  constructor(maxLines = 8) {
    this.maxLines = maxLines;
  }

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  lines(): string[] {
    const rest = this.partial.trim() ? [this.partial] : [];
    return [...this.kept, ...rest].filter((line) => !/^\s+at\s/.test(line)).slice(-this.maxLines);
  }

  private keep(line: string): void {
    if (!line.trim()) return;
    this.kept.push(line.slice(0, 300));
    if (this.kept.length > this.maxLines * 4) this.kept.splice(0, this.kept.length - this.maxLines * 4);
  }
}

/** What the error box says when the core will not run: the reason, what to do, and the core's last words. */
export function coreFailureDialog(
  failure: { message: string; hint?: string },
  tail: readonly string[],
): { title: string; content: string } {
  const hint = failure.hint ?? 'Quit and start Daily Brief again; if it happens again, the log file has the details.';
  const details = tail.length > 0 ? `\n\nThe core's last output:\n${tail.join('\n')}` : '';
  return { title: 'Daily Brief could not start', content: `${failure.message}\n\n${hint}${details}` };
}
