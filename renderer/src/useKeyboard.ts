import { useEffect, useLayoutEffect, useRef } from 'react';

export interface KeyActions {
  next: () => void;
  previous: () => void;
  open: () => void;
  voteUp: () => void;
  voteDown: () => void;
  mute: () => void;
  undo: () => void;
  refresh: () => void;
  ask: () => void;
  help: () => void;
}

/** Every shortcut, as the help dialog lists it. */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['j', 'k'], what: 'Next and previous item' },
  { keys: ['o'], what: 'Open the selected item' },
  { keys: ['+', '−'], what: 'More or less like the selected item' },
  { keys: ['m'], what: 'Mute the selected item’s source' },
  { keys: ['u'], what: 'Undo the last vote or mute' },
  { keys: ['r'], what: 'Refresh' },
  { keys: ['/'], what: 'Ask a question' },
  { keys: ['?'], what: 'Show these shortcuts' },
  { keys: ['Esc'], what: 'Leave the question box, close a dialog' },
];

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The reading keys; never while typing (except Esc, which leaves the field) or with a modifier held. */
export function useKeyboard(actions: KeyActions): void {
  // The listener reads the actions of the last render, not of the render that added it: effects may only run at the
  // next frame, and a key pressed before then must act on the item just selected.
  const latest = useRef(actions);
  useLayoutEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const typing = target && (TYPING.has(target.tagName) || target.isContentEditable);
      if (typing) {
        if (event.key === 'Escape') target.blur();
        return;
      }
      const actions = latest.current;
      const action = {
        j: actions.next,
        k: actions.previous,
        o: actions.open,
        '+': actions.voteUp,
        '=': actions.voteUp,
        '-': actions.voteDown,
        m: actions.mute,
        u: actions.undo,
        r: actions.refresh,
        '/': actions.ask,
        '?': actions.help,
      }[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
