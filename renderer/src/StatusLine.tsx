export interface Status {
  text: string;
  error: boolean;
}

/** The one-line outcome of an action: an alert when it failed, a polite status otherwise. */
export function StatusLine({ status }: { status: Status | null }) {
  if (!status) return null;
  return (
    <p role={status.error ? 'alert' : 'status'} className={status.error ? 'error' : 'status-line'}>
      {status.text}
    </p>
  );
}

export function ErrorLine({ text }: { text: string | null }) {
  return <StatusLine status={text ? { text, error: true } : null} />;
}
