import './setup.ts';
// @vitest-environment jsdom
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { LAST_RUN_KEY } from '../../app/scheduler.ts';
import type { SettingsHere } from '../../contract/results.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { httpClient } from '../src/client/http.ts';
import { SettingsView } from '../src/settings/SettingsView.tsx';

let fx: ServeFixture | undefined;
const daemons: ChildProcess[] = [];
afterEach(async () => {
  cleanup();
  for (const daemon of daemons.splice(0)) await stopped(daemon);
  await fx?.close();
  fx = undefined;
});

/** The settings screen over a real `serve` that runs as `here` says. */
async function settingsIn(here: SettingsHere, folder?: ServeFixture): Promise<Element> {
  fx = folder ?? (await startServeFixture({ here }));
  const { container } = render(
    <SettingsView client={httpClient({ baseUrl: fx.baseUrl, token: fx.server.token })} onSaved={() => undefined} />,
  );
  await screen.findByLabelText('Feed or website address');
  return container;
}

const headings = () => screen.getAllByRole('group').map((group) => group.querySelector(':scope > legend')?.textContent);

describe('settings in plain words', () => {
  it('heads each part as people say it, and shows no file path', async () => {
    const page = await settingsIn({ desktop: false, schedule: true });
    expect(headings()).toEqual(
      expect.arrayContaining([
        'News',
        'Where you are',
        'When to write it',
        'What you care about',
        'Model',
        'How it looks',
      ]),
    );
    expect(headings()).not.toEqual(expect.arrayContaining(['Schedule', 'Location', 'Writing', 'Appearance']));
    expect(page.textContent).not.toMatch(/settings\.json|\/tmp\/|db-serve-/);
  });

  it('offers "No model" in words, and with it no model to pick', async () => {
    await settingsIn({ desktop: false, schedule: true });
    const writer = screen.getByLabelText<HTMLSelectElement>('Who writes the brief');
    expect([...writer.options].map((o) => o.textContent)).toEqual([
      'A model on this computer (Ollama)',
      'A model on a server you name (OpenAI-compatible)',
      'No model: the top items, listed',
    ]);
    await userEvent.setup().selectOptions(writer, 'none');
    expect(screen.queryByLabelText('Model')).toBeNull();
  });

  it('shows starting at login only in the desktop app', async () => {
    await settingsIn({ desktop: true, schedule: true });
    const when = screen.getByRole('group', { name: 'When to write it' });
    expect(within(when).getByLabelText(/^Daily brief at/)).toBeTruthy();
    expect(within(when).getByLabelText(/Start Daily Brief when you log in/)).toBeTruthy();
    cleanup();
    await fx?.close();
    await settingsIn({ desktop: false, schedule: true });
    expect(
      within(screen.getByRole('group', { name: 'When to write it' })).getByLabelText(/^Daily brief at/),
    ).toBeTruthy();
    expect(screen.queryByLabelText(/when you log in/)).toBeNull();
  });

  it('shows no schedule where nothing keeps one, and says how to get one', async () => {
    await settingsIn({ desktop: false, schedule: false });
    expect(screen.queryByLabelText(/^Daily brief at/)).toBeNull();
    expect(screen.queryByLabelText(/^Also every/)).toBeNull();
    const when = screen.getByRole('group', { name: 'When to write it' });
    expect(when.textContent).toContain(
      'Here a brief is written when you refresh. For one at a set time each morning, keep the desktop app running.',
    );
  });

  it('shows the schedule where this app keeps none but `daily-brief daemon` on the same folder does', async () => {
    // As `serve --no-schedule`, with the real daemon running on its data folder.
    const here = { desktop: false, schedule: false };
    const folder = await startServeFixture({ here });
    // Nothing to fetch and no catch-up at start: this is about who keeps the schedule.
    writeFileSync(
      join(folder.dataDir, 'settings.json'),
      JSON.stringify({
        sources: { rss: { feeds: [] }, hackernews: { enabled: false }, weather: { enabled: false } },
        llm: { provider: 'none' },
        memory: { enabled: false },
      }),
      { mode: 0o600 },
    );
    folder.service.state.putValue(LAST_RUN_KEY, new Date().toISOString());
    const daemon = await startDaemon(folder.dataDir);
    await settingsIn(here, folder);
    const when = screen.getByRole('group', { name: 'When to write it' });
    expect(within(when).getByLabelText(/^Daily brief at/)).toBeTruthy();
    expect(within(when).getByLabelText(/^Also refresh every/)).toBeTruthy();
    expect(when.textContent).not.toContain('Here a brief is written when you refresh');

    // The daemon stops: nothing keeps the schedule any more, and the screen says so when it is opened next.
    cleanup();
    await stopped(daemon);
    await settingsIn(here, folder);
    expect(screen.queryByLabelText(/^Daily brief at/)).toBeNull();
    expect(screen.getByRole('group', { name: 'When to write it' }).textContent).toContain(
      'Here a brief is written when you refresh.',
    );
  });
});

/** The `daily-brief` command (test/helpers/cli.ts finds it through a URL, which jsdom's URL does not give back as a path). */
const CLI = join(import.meta.dirname, '..', '..', 'cli', 'daily-brief.js');

/** The real `daily-brief daemon` on a data folder, once it has said that it keeps the schedule. */
async function startDaemon(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'daemon'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemons.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => {
      reject(new Error(`the daemon exited (${String(code)}) before it started: ${stderr}`));
    }),
  );
  const started = (async () => {
    for await (const line of lines) if (line.startsWith('daily-brief daemon: daily at ')) return;
    await exited;
  })();
  await Promise.race([started, exited]);
  return child;
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exit;
}
