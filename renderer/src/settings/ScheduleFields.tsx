import type { Settings } from '../client/types.ts';
import { Field, type FieldErrors } from './Field.tsx';

interface Props {
  draft: Settings;
  errors: FieldErrors;
  update: (change: (next: Settings) => void) => void;
}

/** When the background refresh runs (in the location's time zone), and whether the desktop app starts at login. */
export function ScheduleFields({ draft, errors, update }: Props) {
  return (
    <fieldset>
      <legend>Schedule</legend>
      <Field label={`Daily brief at (${draft.location.timezone})`} path="schedule.dailyAt" errors={errors}>
        {(props) => (
          <input
            {...props}
            type="time"
            value={draft.schedule.dailyAt}
            onChange={(event) => {
              const value = event.target.value;
              update((next) => {
                next.schedule.dailyAt = value;
              });
            }}
          />
        )}
      </Field>
      <Field label="Also every N minutes (empty: once a day)" path="schedule.everyMinutes" errors={errors}>
        {(props) => (
          <input
            {...props}
            type="number"
            inputMode="numeric"
            value={draft.schedule.everyMinutes ?? ''}
            onChange={(event) => {
              const text = event.target.value.trim();
              update((next) => {
                if (text) next.schedule.everyMinutes = Number(text);
                else delete next.schedule.everyMinutes;
              });
            }}
          />
        )}
      </Field>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={draft.desktop.startAtLogin}
            onChange={(event) => {
              const checked = event.target.checked;
              update((next) => {
                next.desktop.startAtLogin = checked;
              });
            }}
          />{' '}
          Start the desktop app at login (in the tray)
        </label>
      </div>
    </fieldset>
  );
}
