import { useState } from 'react';
import { Field, type FieldErrors } from './Field.tsx';

interface Props {
  interests: string[];
  errors: FieldErrors;
  onChange: (interests: string[]) => void;
}

/** Comma-separated in the box, a list in settings; the first bad entry's error shows under the box. */
export function InterestsField({ interests, errors, onChange }: Props) {
  const [text, setText] = useState(interests.join(', '));
  const first = [...errors].find(([path]) => path === 'interests' || path.startsWith('interests['));
  const shown: FieldErrors = new Map(first ? [['interests', first[1]]] : []);
  return (
    <Field label="Topics to put first, separated by commas" path="interests" errors={shown}>
      {(props) => (
        <input
          {...props}
          type="text"
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            onChange(
              event.currentTarget.value
                .split(',')
                .map((part) => part.trim())
                .filter(Boolean),
            );
          }}
        />
      )}
    </Field>
  );
}
