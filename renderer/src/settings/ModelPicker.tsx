import { useEffect, useState } from 'react';
import { type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { AppError } from '../../../contract/envelope.ts';
import { Field, type FieldErrors } from './Field.tsx';

interface Props {
  client: DailyBriefClient;
  model: string;
  errors: FieldErrors;
  onChange: (model: string) => void;
}

function gigabytes(bytes: number | undefined): string {
  return bytes === undefined ? '' : ` (${(bytes / 1e9).toFixed(1)} GB)`;
}

/**
 * Why the installed models cannot be listed, in the form's words: the app's own hints name commands and settings
 * keys for the terminal, which mean nothing next to this field.
 */
export function modelListProblem(failure: unknown): string {
  if (failure instanceof AppError && failure.code === 'llm_unreachable') {
    return 'The model server is not answering, so its models cannot be listed. Start it, or choose No model above.';
  }
  if (failure instanceof AppError && failure.code === 'llm_bad_server') {
    return 'That address does not answer like a model server.';
  }
  return 'The installed models could not be listed.';
}

/** The installed models, from the model server itself; when it is down, a plain name field and why. */
export function ModelPicker({ client, model, errors, onChange }: Props) {
  const [models, setModels] = useState<ApiResults['models/list'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client['models/list']({}).then(
      (list) => {
        if (live) setModels(list);
      },
      (failure: unknown) => {
        if (live) setError(modelListProblem(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [client]);

  // An embedding-only model cannot write a brief; a server that does not say keeps every model listed.
  const writers = models?.filter((m) => m.capabilities?.includes('completion') ?? true) ?? null;
  const listed = writers?.some((m) => m.name === model) ?? false;
  return (
    <Field label="Model" path="llm.model" errors={errors}>
      {(props) =>
        writers && writers.length > 0 ? (
          <select
            {...props}
            value={model}
            onChange={(event) => {
              onChange(event.currentTarget.value);
            }}
          >
            {!listed && <option value={model}>{model} (not installed)</option>}
            {writers.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label}
                {gigabytes(m.size)}
              </option>
            ))}
          </select>
        ) : (
          <>
            <input
              {...props}
              type="text"
              value={model}
              onChange={(event) => {
                onChange(event.currentTarget.value);
              }}
            />
            {error && <p className="muted">{error}</p>}
          </>
        )
      }
    </Field>
  );
}
