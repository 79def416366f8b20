import './setup.ts';
// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsHere } from '../../contract/results.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { httpClient } from '../src/client/http.ts';
import { SettingsView } from '../src/settings/SettingsView.tsx';

let fx: ServeFixture | undefined;
afterEach(async () => {
  cleanup();
  await fx?.close();
  fx = undefined;
});

/** The settings screen over a real `serve` that runs as `here` says. */
async function settingsIn(here: SettingsHere): Promise<Element> {
  fx = await startServeFixture({ here });
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
});
