import { useState } from 'react';
import { errorLine, type DailyBriefClient, type Settings } from '../client/types.ts';
import { StatusLine, type Status } from '../StatusLine.tsx';
import { Field, type FieldErrors } from './Field.tsx';
import { plainError } from './plainErrors.ts';

type Feed = Settings['sources']['rss']['feeds'][number];

interface Props {
  client: DailyBriefClient;
  draft: Settings;
  errors: FieldErrors;
  onChange: (feeds: Feed[]) => void;
}

/** The brief's news sections, as the brief heads them. */
const SECTIONS: Record<string, string> = { tech: 'Tech', market: 'Markets', news: 'Other news' };
const KINDS: Record<string, string> = { podcast: 'a podcast', blog: 'a blog', news: 'a news feed' };

/** "example.com/feed" is how people copy an address: it means https://. */
function withScheme(text: string): string {
  const trimmed = text.trim();
  return /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * Feeds in the draft. A new one is checked by the app's own validation, then read once by the app: its title
 * names it and its words pick its section, unless the person picked one. One that cannot be read can still be
 * added with its address.
 */
export function FeedsEditor({ client, draft, errors, onChange }: Props) {
  const feeds = draft.sources.rss.feeds;
  const [url, setUrl] = useState('');
  const [category, setCategory] = useState('');
  const [addErrors, setAddErrors] = useState<FieldErrors>(new Map());
  const [status, setStatus] = useState<Status | null>(null);
  /** A feed that could not be read, waiting for "Add it anyway". */
  const [unread, setUnread] = useState<Feed | null>(null);
  const [busy, setBusy] = useState(false);

  function added(feed: Feed, text: string): void {
    onChange([...feeds, feed]);
    setUrl('');
    setUnread(null);
    setStatus({ error: false, text });
  }

  async function add(): Promise<void> {
    const address = withScheme(url);
    setStatus(null);
    setUnread(null);
    const check = await client['settings/validate']({
      settings: {
        ...draft,
        sources: { ...draft.sources, rss: { ...draft.sources.rss, feeds: [...feeds, { url: address }] } },
      },
    });
    const prefix = `sources.rss.feeds[${feeds.length}].`;
    const mine = check.ok ? [] : check.errors.filter((e) => e.path.startsWith(prefix));
    setAddErrors(new Map(mine.map((e) => [`new.${e.path.slice(prefix.length)}`, e.message])));
    if (mine.length) return;
    setBusy(true);
    try {
      const read = await client['feeds/inspect']({ url: address });
      if (read.ok) {
        const { feed } = read;
        const section = category || feed.category;
        const name = feed.title ?? feed.url;
        added(
          { url: feed.url, ...(feed.title ? { name: feed.title } : {}), category: section },
          `Added “${name}”, ${KINDS[feed.kind] ?? 'a feed'}, to ${SECTIONS[section] ?? section}.`,
        );
      } else {
        setUnread({ url: address, category: category || 'news' });
        setStatus({ error: true, text: `${read.problem} You can still add it with its address.` });
      }
    } catch (failure) {
      setStatus({ error: true, text: errorLine(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset>
      <legend>News</legend>
      <ul className="feeds" aria-label="Your feeds">
        {feeds.map((feed, index) => (
          <li key={`${feed.url}-${index}`}>
            <span className="feed-name">{feed.name ?? feed.url}</span>{' '}
            <span className="muted">{SECTIONS[feed.category ?? 'news'] ?? feed.category}</span>
            {errors.get(`sources.rss.feeds[${index}].url`) && (
              <span className="error"> {plainError(errors.get(`sources.rss.feeds[${index}].url`) ?? '')}</span>
            )}
            <button
              type="button"
              aria-label={`Remove feed ${feed.name ?? feed.url}`}
              onClick={() => {
                onChange(feeds.filter((_, i) => i !== index));
              }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="add-feed"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <Field label="Feed or website address" path="new.url" errors={addErrors}>
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="url"
              autoComplete="url"
              placeholder="example.com/feed.xml"
              value={url}
              onChange={(event) => {
                setUrl(event.currentTarget.value);
              }}
            />
          )}
        </Field>
        <Field label="Section" path="new.category" errors={addErrors}>
          {(props) => (
            <select
              {...props}
              value={category}
              onChange={(event) => {
                setCategory(event.currentTarget.value);
              }}
            >
              <option value="">Decide from the feed</option>
              <option value="tech">Tech</option>
              <option value="market">Markets</option>
              <option value="news">Other news</option>
            </select>
          )}
        </Field>
        <button type="submit" disabled={busy || !url.trim()}>
          {busy ? 'Reading the feed…' : 'Add feed'}
        </button>
        <StatusLine status={status} />
        {unread && (
          <button
            type="button"
            onClick={() => {
              added(unread, `Added ${unread.url}.`);
            }}
          >
            Add it anyway
          </button>
        )}
      </form>
    </fieldset>
  );
}
