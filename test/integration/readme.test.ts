import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Everything a reader would type: fenced blocks and inline code spans. */
function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => (m[1] ?? '').split('\n'));
  const inline = [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return [...fenced, ...inline];
}

interface Usage {
  file: string;
  words: string[];
  flags: string[];
}

/** `daily-brief <command> [<subcommand>] [--flags]`, up to a comment, a pipe into another program or `&&`. */
function usages(file: string): Usage[] {
  const out: Usage[] = [];
  for (const code of codeOf(readFileSync(join(ROOT, file), 'utf8'))) {
    // A command is code that starts with it (a tree of folders that names the CLI in passing is not).
    for (const match of code.matchAll(/(?:^\s*|&&\s*)(?:npx\s+)?daily-brief((?:\s+[^\s#&;]+)+)/g)) {
      const tokens = (match[1] ?? '').trim().split(/\s+/);
      const words = tokens.filter((t) => /^[a-z][a-z-]*$/.test(t)).slice(0, 2);
      const flags = [...(match[1] ?? '').matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]);
      out.push({ file, words: tokens[0]?.startsWith('-') ? [] : words, flags });
    }
  }
  return out;
}

const helps = new Map<string, Promise<string>>();
function help(words: string[]): Promise<string> {
  const key = words.join(' ');
  let found = helps.get(key);
  if (!found) {
    found = runCli([...words, '--help']).then((r) => r.stdout);
    helps.set(key, found);
  }
  return found;
}

/** The names under "Commands:" in a help text. */
function commandsIn(text: string): string[] {
  const section = text.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1] ?? '');
}

describe('the README and docs/ say only what the CLI does', () => {
  it('every documented command, subcommand and flag is in the CLI’s own --help', async () => {
    const all = DOCS.flatMap(usages);
    // The README shows the quick start; the commands page shows every command.
    expect(all.some((u) => u.file === 'README.md' && u.words[0] === 'serve' && u.flags.includes('--demo'))).toBe(true);
    expect(new Set(all.filter((u) => u.file === 'docs/commands.md').map((u) => u.words[0])).size).toBeGreaterThan(8);
    const top = await help([]);
    const problems: string[] = [];
    for (const usage of all) {
      const [command, second] = usage.words;
      let words: string[] = [];
      if (command) {
        if (!commandsIn(top).includes(command)) {
          problems.push(`${usage.file}: daily-brief ${command} is not a command`);
          continue;
        }
        words = [command];
        if (second && commandsIn(await help(words)).includes(second)) words.push(second);
      }
      const own = await help(words);
      for (const flag of usage.flags) {
        // Global options (--data-dir, --verbose) are accepted by every command.
        if (!new RegExp(`(^|\\s)${flag}\\b`, 'm').test(`${own}\n${top}`)) {
          problems.push(`${usage.file}: daily-brief ${words.join(' ')} has no ${flag}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('every npm script it names exists', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const named = DOCS.flatMap((file) =>
      codeOf(readFileSync(join(ROOT, file), 'utf8')).flatMap((code) =>
        [...code.matchAll(/\bnpm (?:run ([\w:-]+)|(start|test))\b/g)].map((m) => [file, m[1] ?? m[2] ?? ''] as const),
      ),
    );
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter(([, name]) => !(name in scripts)).map(([file, name]) => `${file}: npm run ${name}`)).toEqual(
      [],
    );
  });

  it('is short enough for a newcomer, starts with the quick start, and links only to files that exist', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    const quick = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n') ?? [];
    expect(quick.length).toBeLessThanOrEqual(3);
    expect(quick.at(-1)).toBe('npx daily-brief serve --demo');
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)|src="([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? '');
    // docs/accounts.md is written on its own branch; everything else must be here.
    const missing = links
      .filter((link) => link !== 'docs/accounts.md')
      .filter((link) => {
        try {
          readFileSync(join(ROOT, link));
          return false;
        } catch {
          return true;
        }
      });
    expect(missing).toEqual([]);
  });
});
