import type { ApiResults, Settings } from '../client/types.ts';
import { Field, type FieldErrors } from './Field.tsx';

interface Props {
  draft: Settings;
  errors: FieldErrors;
  update: (change: (next: Settings) => void) => void;
  /** What applies where the app runs: a schedule only where something keeps it, login only in the desktop app. */
  here: ApiResults['settings/get']['here'];
}

/** When the background refresh runs (in the location's time zone), and whether the desktop app starts at login. */
export function ScheduleFields({ draft, errors, update, here }: Props) {
  return (
    <fieldset>
      <legend>When to write it</legend>
      {!here.schedule && (
        <p className="muted">
          Here a brief is written when you refresh. For one at a set time each morning, keep the desktop app running.
        </p>
      )}
      {here.schedule && <Times draft={draft} errors={errors} update={update} />}
      {here.desktop && (
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={draft.desktop.startAtLogin}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                update((next) => {
                  next.desktop.startAtLogin = checked;
                });
              }}
            />{' '}
            Start Daily Brief when you log in (it waits in the tray)
          </label>
        </div>
      )}
    </fieldset>
  );
}

function Times({ draft, errors, update }: Omit<Props, 'here'>) {
  return (
    <>
      <Field label={`Daily brief at (${draft.location.timezone} time)`} path="schedule.dailyAt" errors={errors}>
        {(props) => (
          <input
            {...props}
            type="time"
            value={draft.schedule.dailyAt}
            onChange={(event) => {
              const value = event.currentTarget.value;
              update((next) => {
                next.schedule.dailyAt = value;
              });
            }}
          />
        )}
      </Field>
      <Field
        label="Also refresh every … minutes (leave empty for once a day)"
        path="schedule.everyMinutes"
        errors={errors}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            inputMode="numeric"
            value={draft.schedule.everyMinutes ?? ''}
            onChange={(event) => {
              const text = event.currentTarget.value.trim();
              update((next) => {
                if (text) next.schedule.everyMinutes = Number(text);
                else delete next.schedule.everyMinutes;
              });
            }}
          />
        )}
      </Field>
    </>
  );
}
