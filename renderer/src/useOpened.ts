import { useCallback, useState } from 'react';

const KEY = 'daily-brief.opened';
/** Enough for weeks of briefs; the oldest are forgotten first. */
const KEEP = 1000;

function load(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Items the reader has opened, remembered in this browser only, so they show dimmed on the next visit. */
export function useOpened(): [Set<string>, (itemId: string) => void] {
  const [opened, setOpened] = useState(() => new Set(load()));
  const open = useCallback((itemId: string) => {
    setOpened((current) => {
      if (current.has(itemId)) return current;
      const next = [...current, itemId].slice(-KEEP);
      try {
        localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Storage full or refused: the dimming lasts for this visit only.
      }
      return new Set(next);
    });
  }, []);
  return [opened, open];
}
