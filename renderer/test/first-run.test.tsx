import './setup.ts';
// @vitest-environment jsdom
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../contract/events.ts';
import type { AppMode } from '../../contract/results.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { App } from '../src/App.tsx';
import { httpClient } from '../src/client/http.ts';
import type { DailyBriefClient } from '../src/client/types.ts';

const fixtures: ServeFixture[] = [];
afterEach(async () => {
  cleanup();
  for (const fx of fixtures.splice(0)) await fx.close();
});

describe('a fresh install', () => {
  it('waits on its welcome, and writes the first brief once settings are saved', async () => {
    // The fixture's settings are not from a file: nothing was ever saved, as on a fresh install.
    const fx = await startServeFixture({ now: '2026-12-01T06:00:00.000Z' });
    fixtures.push(fx);
    const events: AppEvent[] = [];
    fx.service.watch((event) => events.push(event));
    const client = httpClient({ baseUrl: fx.baseUrl, token: fx.server.token });
    render(<App client={client} now={() => new Date('2026-12-01T06:00:00.000Z')} />);
    expect(await screen.findByRole('heading', { name: 'Welcome to Daily Brief' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try the sample day' })).toBeTruthy();
    // No refresh was started: a running one shows at once on the button, before the app says anything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.getByRole('button', { name: 'Refresh' })).toHaveProperty('disabled', false);
    expect(screen.queryByText(/being written/)).toBeNull();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Set up my sources' }));
    await user.click(await screen.findByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(existsSync(join(fx.dataDir, 'settings.json'))).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Today' }));
    expect(await screen.findByTestId('brief-tldr', {}, { timeout: 10_000 })).toBeTruthy();
    expect(events.some((event) => event.type === 'brief-ready')).toBe(true);
  });
});

/** A client for the mode alone: the sample day is on, and `demo/leave` is recorded; everything else never answers. */
function sampleClient() {
  const listeners = new Set<(event: AppEvent) => void>();
  const calls: string[] = [];
  let mode: AppMode = { mode: 'sample', canLeave: true };
  const client = new Proxy({} as DailyBriefClient, {
    get: (_, name) => {
      if (name === 'onEvent') {
        return (listener: (event: AppEvent) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        };
      }
      return () => {
        calls.push(String(name));
        if (name === 'demo/status') return Promise.resolve(mode);
        if (name === 'demo/leave') {
          mode = { mode: 'own', canLeave: true };
          return Promise.resolve(mode);
        }
        return new Promise(() => undefined);
      };
    },
  });
  const emit = (event: AppEvent) => {
    void act(() => {
      for (const listener of listeners) listener(event);
    });
  };
  return { client, calls, emit };
}

describe('the sample day in the window', () => {
  it('keeps the user’s settings out of reach, and makes way when the notification of their brief is clicked', async () => {
    const { client, calls, emit } = sampleClient();
    render(<App client={client} />);
    const banner = await screen.findByTestId('sample-banner');
    expect(within(banner).getByRole('button', { name: 'Back to my brief' })).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('region', { name: 'Settings in the sample day' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();

    emit({ type: 'open-brief', date: '2026-12-01' });
    expect(calls).toContain('demo/leave');
    await act(() => Promise.resolve());
    expect(screen.queryByTestId('sample-banner')).toBeNull();
    // The reading view started afresh, on the brief.
    expect(screen.getByRole('button', { name: 'Today' }).getAttribute('aria-current')).toBe('page');
  });

  it('follows another window that leaves it', async () => {
    const { client, emit } = sampleClient();
    render(<App client={client} />);
    await screen.findByTestId('sample-banner');
    emit({ type: 'mode', mode: 'own', canLeave: true });
    expect(screen.queryByTestId('sample-banner')).toBeNull();
  });
});
