import { useEffect } from 'react';

export interface KeyActions {
  next: () => void;
  previous: () => void;
  voteUp: () => void;
  voteDown: () => void;
  refresh: () => void;
  ask: () => void;
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** j/k move, +/- vote, r refreshes, / goes to the ask box; never while typing or with a modifier held. */
export function useKeyboard(actions: KeyActions): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      const action = {
        j: actions.next,
        k: actions.previous,
        '+': actions.voteUp,
        '=': actions.voteUp,
        '-': actions.voteDown,
        r: actions.refresh,
        '/': actions.ask,
      }[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [actions]);
}
