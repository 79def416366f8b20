import { useState } from 'react';
import type { DailyBriefClient, Settings } from '../client/types.ts';
import { Field, type FieldErrors } from './Field.tsx';
import { plainError } from './plainErrors.ts';

type Feed = Settings['sources']['rss']['feeds'][number];

interface Props {
  client: DailyBriefClient;
  draft: Settings;
  errors: FieldErrors;
  onChange: (feeds: Feed[]) => void;
}

/** Feeds in the draft; a new one is checked by the app's own validation before it joins the list. */
export function FeedsEditor({ client, draft, errors, onChange }: Props) {
  const feeds = draft.sources.rss.feeds;
  const [url, setUrl] = useState('');
  const [category, setCategory] = useState('tech');
  const [addErrors, setAddErrors] = useState<FieldErrors>(new Map());

  async function add(): Promise<void> {
    const feed: Feed = { url: url.trim(), ...(category ? { category } : {}) };
    const next = [...feeds, feed];
    const check = await client['settings/validate']({
      settings: { ...draft, sources: { ...draft.sources, rss: { ...draft.sources.rss, feeds: next } } },
    });
    const prefix = `sources.rss.feeds[${feeds.length}].`;
    const mine = check.ok ? [] : check.errors.filter((e) => e.path.startsWith(prefix));
    setAddErrors(new Map(mine.map((e) => [`new.${e.path.slice(prefix.length)}`, e.message])));
    if (mine.length) return;
    onChange(next);
    setUrl('');
  }

  return (
    <fieldset>
      <legend>News feeds</legend>
      <ul className="feeds">
        {feeds.map((feed, index) => (
          <li key={`${feed.url}-${index}`}>
            <span>{feed.name ?? feed.url}</span> <span className="muted">{feed.category ?? ''}</span>
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
        <Field label="Feed URL" path="new.url" errors={addErrors}>
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="url"
              value={url}
              onChange={(event) => {
                setUrl(event.target.value);
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
                setCategory(event.target.value);
              }}
            >
              <option value="tech">Tech</option>
              <option value="market">Markets</option>
              <option value="news">Other news</option>
            </select>
          )}
        </Field>
        <button type="submit" disabled={!url.trim()}>
          Add feed
        </button>
      </form>
    </fieldset>
  );
}
