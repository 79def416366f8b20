import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Faults } from './children.ts';

const faults = new Faults();
afterAll(() => faults.cleanup());

/** Every subcommand that runs and ends on its own, with what it needs to get to the data. */
const ONE_SHOT: string[][] = [
  ['refresh'],
  ['show'],
  ['show', '--why'],
  ['sources'],
  ['ask', 'what', 'is', 'on', 'today'],
  ['doctor'],
  ['preferences'],
  ['preferences', 'reset'],
  ['feedback', 'ITEM', 'up'],
  ['feedback', 'ITEM', 'undo'],
  ['accounts'],
];
const LONG_RUNNING: string[][] = [['serve', '--no-schedule'], ['daemon']];

/** `--demo --data-dir <dir>` before the subcommand and after it; split around it for nested ones. */
function placements(command: string[], dir: string): string[][] {
  const [name = '', ...rest] = command;
  const both = [
    ['--demo', '--data-dir', dir, ...command],
    [...command, '--demo', '--data-dir', dir],
  ];
  if (name !== 'preferences' || !rest.length) return both;
  return [...both, ['--data-dir', dir, name, '--demo', ...rest], ['--demo', name, ...rest, '--data-dir', dir]];
}

describe('--demo and --data-dir are honoured wherever they are written, by every command', () => {
  it('one-shot commands: the demo store in --data-dir, nothing in the real folder or the default one', async () => {
    const home = faults.tempDir('db-fault-home-');
    const env = { DAILY_BRIEF_HOME: home };
    const seeded = faults.tempDir();
    expect((await faults.run(['--data-dir', seeded, 'refresh', '--demo', '--json'], env)).code).toBe(0);
    const shown = await faults.run(['--data-dir', seeded, 'show', '--demo', '--json'], env);
    const item = (JSON.parse(shown.stdout) as { sections: { items: { id: string }[] }[] }).sections
      .flatMap((s) => s.items)
      .find((i) => !i.id.startsWith('weather'));
    const refused: string[] = [];
    for (const template of ONE_SHOT) {
      const command = template.map((part) => (part === 'ITEM' ? (item?.id ?? '') : part));
      for (const args of placements(command, seeded)) {
        const result = await faults.run(args, env);
        if (/unknown option|too many arguments/.test(result.stderr)) refused.push(args.join(' '));
      }
    }
    expect(refused).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
    expect(existsSync(join(seeded, 'daily-brief.db'))).toBe(false);
  }, 240_000);

  it('serve and daemon: run on the demo store in --data-dir wherever the flags are', async () => {
    const home = faults.tempDir('db-fault-home-');
    for (const command of LONG_RUNNING) {
      for (const args of placements(command, faults.tempDir())) {
        const dir = args[args.indexOf('--data-dir') + 1] ?? '';
        const app = faults.cli(args, { DAILY_BRIEF_HOME: home });
        await app.firstLine;
        app.child.kill('SIGTERM');
        const { code } = await app.exited;
        expect({ args: args.join(' '), code, stderr: app.stderr() }).toEqual({
          args: args.join(' '),
          code: 0,
          stderr: '',
        });
        expect(existsSync(join(dir, 'daily-brief.db'))).toBe(false);
      }
    }
    expect(readdirSync(home)).toEqual([]);
  }, 240_000);
});
