import type { FeedbackMessage } from '../useFeedback.ts';
import { Icon } from './Icon.tsx';

interface Props {
  message: FeedbackMessage | null;
  onUndo: (itemId: string) => void;
  onDismiss: () => void;
}

/**
 * Fixed at the bottom centre, so the confirmation and its Undo are on screen wherever the item voted on was.
 * The live region stays mounted (empty when idle) so screen readers announce each new message.
 */
export function Toast({ message, onUndo, onDismiss }: Props) {
  return (
    <div className="toast-region" role="status" aria-live="polite" data-testid="feedback-message">
      {message && (
        <div className={`toast${message.error ? ' toast-error' : ''}`}>
          <span className="toast-text">{message.text}</span>
          {message.undoable && (
            <button
              type="button"
              className="link"
              aria-keyshortcuts="u"
              onClick={() => {
                onUndo(message.itemId);
              }}
            >
              Undo
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Close" onClick={onDismiss}>
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
    </div>
  );
}
