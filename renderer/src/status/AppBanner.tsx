import { useEffect, useState } from 'react';
import type { ClientEvent, DailyBriefClient } from '../client/types.ts';
import { Icon } from '../ui/Icon.tsx';

export type Banner =
  { kind: 'settings-invalid'; message: string } | { kind: 'core-failed'; message: string; hint?: string | undefined };

/** A sentence as it arrives, without the full stop, so the banner can add its own. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/** What the app says about itself (settings that did not apply, a core that stopped) as the one banner to show. */
export function foldBanner(banner: Banner | null, event: ClientEvent): Banner | null {
  switch (event.type) {
    case 'settings-invalid':
      // A stopped core outranks a settings mistake: nothing works until the restart.
      return banner?.kind === 'core-failed' ? banner : { kind: 'settings-invalid', message: clause(event.message) };
    case 'settings-applied':
      return banner?.kind === 'settings-invalid' ? null : banner;
    case 'core-failed':
      return { kind: 'core-failed', message: clause(event.message), hint: event.hint };
    default:
      return banner;
  }
}

export function useBanner(client: DailyBriefClient): [Banner | null, () => void] {
  const [banner, setBanner] = useState<Banner | null>(null);
  useEffect(
    () =>
      client.onEvent((event) => {
        setBanner((current) => foldBanner(current, event));
      }),
    [client],
  );
  return [
    banner,
    () => {
      setBanner(null);
    },
  ];
}

interface Props {
  banner: Banner | null;
  onOpenSettings: () => void;
  onDismiss: () => void;
}

/** Calm and specific: what happened, what the app does meanwhile, and the one thing to do. */
export function AppBanner({ banner, onOpenSettings, onDismiss }: Props) {
  if (!banner) return null;
  if (banner.kind === 'settings-invalid') {
    return (
      <div className="banner" role="status" data-testid="app-banner">
        <Icon name="alert" />
        <p>Your settings file has a mistake: {banner.message}. The app goes on with your last good settings.</p>
        <div className="banner-actions">
          <button type="button" onClick={onOpenSettings}>
            Open Settings
          </button>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
            <Icon name="close" />
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="banner banner-failed" role="alert" data-testid="app-banner">
      <Icon name="alert" />
      <p>
        Daily Brief stopped working: {banner.message}.{' '}
        {/* The app's own fix when it knows one (it says what is kept), else the general one. */}
        {banner.hint ? `${clause(banner.hint)}.` : 'Restart Daily Brief to go on; your briefs and settings are kept.'}
      </p>
    </div>
  );
}
