import './setup.ts';
// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../contract/events.ts';
import { App } from '../src/App.tsx';
import type { DailyBriefClient } from '../src/client/types.ts';

afterEach(cleanup);

/**
 * A client whose event stream the test drives. The calls the page makes on open never answer, which is all a
 * banner needs: it comes from events alone, whatever the calls do.
 */
function eventClient(): { client: DailyBriefClient; emit: (event: AppEvent) => void } {
  const listeners = new Set<(event: AppEvent) => void>();
  const client = new Proxy({} as DailyBriefClient, {
    get: (_, name) => {
      if (name === 'onEvent') {
        return (listener: (event: AppEvent) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        };
      }
      return () => new Promise(() => undefined);
    },
  });
  return {
    client,
    emit: (event) => {
      void act(() => {
        for (const listener of listeners) listener(event);
      });
    },
  };
}

describe('banners for what the app says about itself', () => {
  it('says a settings mistake calmly, offers Settings, and goes when valid settings are applied', async () => {
    const { client, emit } = eventClient();
    render(<App client={client} />);
    expect(screen.queryByTestId('app-banner')).toBeNull();
    emit({
      type: 'settings-invalid',
      message: 'schedule.everyMinutes must be at least 5.',
      hint: 'The app goes on with the last good settings until the file is fixed',
    });
    const banner = screen.getByTestId('app-banner');
    expect(banner.getAttribute('role')).toBe('status');
    expect(banner.textContent).toContain(
      'Your settings file has a mistake: schedule.everyMinutes must be at least 5. The app goes on with your last good settings.',
    );
    await userEvent.setup().click(within(banner).getByRole('button', { name: 'Open Settings' }));
    expect(screen.getByRole('button', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
    emit({ type: 'settings-applied' });
    expect(screen.queryByTestId('app-banner')).toBeNull();
  });

  it('says what failed when the core stops, and that a restart is the way on', () => {
    const { client, emit } = eventClient();
    render(<App client={client} />);
    emit({ type: 'core-failed', message: 'the database could not be opened.' });
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toBe(
      'Daily Brief stopped working: the database could not be opened. Restart Daily Brief to go on; your briefs and settings are kept.',
    );
    // A later settings complaint does not hide the stop: nothing works until the restart.
    emit({ type: 'settings-invalid', message: 'bad' });
    expect(screen.getByRole('alert').textContent).toMatch(/^Daily Brief stopped working/);
  });

  it('gives the fix the app knows instead of the general one, and says it once', () => {
    const { client, emit } = eventClient();
    render(<App client={client} />);
    emit({ type: 'core-failed', message: 'the disk is full', hint: 'Free some space, then start Daily Brief again' });
    expect(screen.getByRole('alert').textContent).toBe(
      'Daily Brief stopped working: the disk is full. Free some space, then start Daily Brief again.',
    );
  });
});
