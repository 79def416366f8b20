import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Brief, BriefItem } from '../client/types.ts';
import { clockTime, count, longDate } from '../format.ts';
import { sortNotices, type NoticeTarget } from './notices.ts';
import { itemsInOrder, orderedSections } from './order.ts';
import { Section, type ItemListProps } from './Section.tsx';
import { ActionItems, Tldr } from './Tldr.tsx';
import { WeatherCard } from './WeatherCard.tsx';

const SECTION_TITLES: Record<string, string> = {
  email: 'Email',
  calendar: 'Calendar',
  market: 'Markets',
  tech: 'Tech',
  news: 'News',
};

type Props = Omit<ItemListProps, 'timezone' | 'date'> & {
  brief: Brief;
  onJump: (itemId: string) => void;
  /** The item cards are on the page (a frame after the TL;DR on the first render). */
  onItemsShown?: () => void;
  onGo: (target: NoticeTarget) => void;
  /** The ask box, placed under the TL;DR. */
  ask?: ReactNode;
};

/** Who wrote the brief and how fresh its data is, in one line. */
function WrittenLine({ brief, onGo }: { brief: Brief; onGo: (target: NoticeTarget) => void }) {
  const at = clockTime(brief.generatedAt, brief.timezone);
  const asOf = clockTime(brief.dataAsOf, brief.timezone);
  const freshness = asOf === at ? '' : ` · data as of ${asOf}`;
  if (brief.generator.mode === 'llm' && brief.generator.model) {
    return (
      <p className="written" data-testid="written-line">
        Written by {brief.generator.model} at {at}
        {freshness}
      </p>
    );
  }
  return (
    <p className="written" data-testid="written-line">
      Written without a model at {at}
      {freshness} ·{' '}
      <button
        type="button"
        className="link"
        onClick={() => {
          onGo('settings');
        }}
      >
        Set one up
      </button>
    </p>
  );
}

export function BriefView({ brief, onJump, onItemsShown, onGo, ask, ...listProps }: Props) {
  const itemsById = useMemo(() => new Map<string, BriefItem>(itemsInOrder(brief).map((i) => [i.id, i])), [brief]);
  const notices = useMemo(() => sortNotices(brief), [brief]);
  const sections = orderedSections(brief);
  // The window opens onto the head, the TL;DR and the ask box; the day and the sections of items follow once that has
  // been painted (effects run after the paint), so the first screen does not wait on every card of a long brief.
  const [showRest, setShowRest] = useState(false);
  useEffect(() => {
    setShowRest(true);
  }, []);
  useEffect(() => {
    if (!showRest) return;
    // For `npm run bench:ui`, beside the TL;DR's own mark: when every card is on the page.
    if (!performance.getEntriesByName('brief-items-visible').length) performance.mark('brief-items-visible');
    onItemsShown?.();
  }, [showRest, onItemsShown]);
  const calendar = sections.find((section) => section.kind === 'calendar');
  const failing = brief.sources.filter((source) => source.status === 'error').length;
  const sectionOf = (section: (typeof sections)[number]) => (
    <Section
      key={section.kind}
      title={SECTION_TITLES[section.kind] ?? section.title}
      kind={section.kind}
      items={section.items}
      timezone={brief.timezone}
      date={brief.date}
      {...listProps}
    />
  );
  return (
    <article className="brief" aria-labelledby="brief-date">
      <header className="brief-head">
        <h1 id="brief-date" className="date">
          {longDate(brief.date)}
        </h1>
        <WrittenLine brief={brief} onGo={onGo} />
      </header>
      {brief.tldr.length > 0 ? (
        <Tldr bullets={brief.tldr} itemsById={itemsById} onJump={onJump} />
      ) : (
        // When nothing could be fetched, the notice below says so; "nothing stood out" would be wrong.
        !notices.actionable.some((n) => n.id === 'nothing-fetched') && (
          <p className="empty-tldr">Nothing stood out this time.</p>
        )
      )}
      {notices.actionable.length > 0 && (
        <ul className="notices" aria-label="Things to do">
          {notices.actionable.map((notice) => (
            <li key={notice.id}>
              <span>{notice.text}</span>{' '}
              <button
                type="button"
                onClick={() => {
                  onGo(notice.action.target);
                }}
              >
                {notice.action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {ask}
      {brief.summary && (
        <section className="section" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <p>{brief.summary}</p>
        </section>
      )}
      {brief.actionItems && brief.actionItems.length > 0 && (
        <ActionItems actions={brief.actionItems} date={brief.date} itemsById={itemsById} onJump={onJump} />
      )}
      {showRest && (brief.weather ?? calendar) && (
        <section className="section section-today" aria-labelledby="today-heading">
          <h2 id="today-heading">Today</h2>
          {brief.weather && <WeatherCard weather={brief.weather} />}
        </section>
      )}
      {showRest && sections.map(sectionOf)}
      {showRest && (
        <footer className="brief-end" data-testid="brief-end">
          <p>
            That is today.{' '}
            <button
              type="button"
              className="link"
              onClick={() => {
                onGo('status');
              }}
            >
              {failing
                ? `${count(failing, 'source')} had a problem`
                : `All ${count(brief.sources.filter((s) => s.status !== 'disabled').length, 'source')} fine`}
            </button>
          </p>
        </footer>
      )}
    </article>
  );
}
