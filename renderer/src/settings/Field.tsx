import { useId, type ReactElement } from 'react';
import { plainError } from './plainErrors.ts';

export type FieldErrors = Map<string, string>;

interface Props {
  label: string;
  /** The settings path whose error shows under this field, e.g. `location.timezone`. */
  path: string;
  errors: FieldErrors;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactElement;
}

/** A labelled input with its own error line, tied to it for screen readers. */
export function Field({ label, path, errors, children }: Props) {
  const id = useId();
  const error = errors.get(path);
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(error ? { 'aria-describedby': `${id}-error` } : {}) })}
      {error && (
        <p className="error" id={`${id}-error`} data-field-error={path}>
          {plainError(error)}
        </p>
      )}
    </div>
  );
}
