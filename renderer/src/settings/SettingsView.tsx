import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient, type Settings } from '../client/types.ts';
import { AccountsPanel } from './AccountsPanel.tsx';
import { FeedsEditor } from './FeedsEditor.tsx';
import { InterestsField } from './InterestsField.tsx';
import { LearnedPanel } from './LearnedPanel.tsx';
import { Field, type FieldErrors } from './Field.tsx';
import { LocationSearch } from './LocationSearch.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { ScheduleFields } from './ScheduleFields.tsx';
import { fieldsToFix, otherProblem } from './plainErrors.ts';
import { StatusLine, type Status } from '../StatusLine.tsx';

interface Props {
  client: DailyBriefClient;
  onSaved: (settings: Settings) => void;
}

/** Edits a draft; Save sends the whole of it, and the app writes all of it or, when anything is wrong, nothing. */
export function SettingsView({ client, onSaved }: Props) {
  const [draft, setDraft] = useState<Settings | null>(null);
  const [here, setHere] = useState<ApiResults['settings/get']['here']>({ desktop: false, schedule: false });
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [status, setStatus] = useState<Status | null>(null);

  useEffect(() => {
    client['settings/get']({}).then(
      (loaded) => {
        setDraft(loaded.settings);
        setHere(loaded.here);
      },
      (failure: unknown) => {
        setStatus({ error: true, text: errorLine(failure) });
      },
    );
  }, [client]);

  if (!draft) return status ? <StatusLine status={status} /> : <p>Loading settings…</p>;

  const update = (change: (next: Settings) => void) => {
    const next = structuredClone(draft);
    change(next);
    setDraft(next);
  };

  async function save(settings: Settings): Promise<void> {
    try {
      const result = await client['settings/save']({ settings });
      if (result.ok) {
        setErrors(new Map());
        setStatus({ error: false, text: 'Saved.' });
        onSaved(settings);
      } else {
        setErrors(new Map(result.errors.map((e) => [e.path, e.message])));
        setStatus({ error: true, text: `Nothing was saved: ${fieldsToFix(result.errors.length)}.` });
      }
    } catch (failure) {
      setStatus({ error: true, text: errorLine(failure) });
    }
  }

  const shown = new Set([
    'location.name',
    'location.timezone',
    'llm.model',
    'llm.provider',
    'ui.theme',
    'ui.density',
    'schedule.dailyAt',
    'schedule.everyMinutes',
  ]);
  const otherErrors = [...errors].filter(
    ([p]) => !shown.has(p) && !p.startsWith('sources.rss.feeds[') && !p.startsWith('interests'),
  );
  return (
    <div className="settings">
      <AccountsPanel client={client} />
      <FeedsEditor
        client={client}
        draft={draft}
        errors={errors}
        onChange={(feeds) => {
          update((next) => {
            next.sources.rss.feeds = feeds;
          });
        }}
      />
      <LocationSearch
        client={client}
        location={draft.location}
        errors={errors}
        onChange={(location) => {
          update((next) => {
            next.location = location;
          });
        }}
      />
      <ScheduleFields draft={draft} errors={errors} update={update} here={here} />
      <fieldset>
        <legend>What you care about</legend>
        <InterestsField
          interests={draft.interests}
          errors={errors}
          onChange={(interests) => {
            update((next) => {
              next.interests = interests;
            });
          }}
        />
      </fieldset>
      <fieldset>
        <legend>Model</legend>
        <Field label="Who writes the brief" path="llm.provider" errors={errors}>
          {(props) => (
            <select
              {...props}
              value={draft.llm.provider}
              onChange={(event) => {
                const provider = event.currentTarget.value as Settings['llm']['provider'];
                update((next) => {
                  next.llm.provider = provider;
                });
              }}
            >
              <option value="ollama">A model on this computer (Ollama)</option>
              <option value="openai-compatible">A model on a server you name (OpenAI-compatible)</option>
              <option value="none">No model: the top items, listed</option>
            </select>
          )}
        </Field>
        {draft.llm.provider !== 'none' && (
          <ModelPicker
            client={client}
            model={draft.llm.model}
            errors={errors}
            onChange={(model) => {
              update((next) => {
                next.llm.model = model;
              });
            }}
          />
        )}
      </fieldset>
      <fieldset>
        <legend>How it looks</legend>
        <Field label="Theme" path="ui.theme" errors={errors}>
          {(props) => (
            <select
              {...props}
              value={draft.ui.theme}
              onChange={(event) => {
                const theme = event.currentTarget.value as Settings['ui']['theme'];
                update((next) => {
                  next.ui.theme = theme;
                });
              }}
            >
              <option value="system">Same as the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          )}
        </Field>
        <Field label="Each item shows" path="ui.density" errors={errors}>
          {(props) => (
            <select
              {...props}
              value={draft.ui.density}
              onChange={(event) => {
                const density = event.currentTarget.value as Settings['ui']['density'];
                update((next) => {
                  next.ui.density = density;
                });
              }}
            >
              <option value="comfortable">Titles and a line or two of text</option>
              <option value="compact">Titles only</option>
            </select>
          )}
        </Field>
      </fieldset>
      <LearnedPanel client={client} />
      {otherErrors.length > 0 && (
        <ul className="error" aria-label="Other problems">
          {otherErrors.map(([p, message]) => (
            <li key={p}>{otherProblem(p, message)}</li>
          ))}
        </ul>
      )}
      <div className="save">
        <button
          type="button"
          onClick={() => {
            void save(draft);
          }}
        >
          Save settings
        </button>
        <StatusLine status={status} />
      </div>
    </div>
  );
}
