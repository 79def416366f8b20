import { useMemo } from 'react';
import type { Brief, BriefItem } from '../client/types.ts';
import { itemsInOrder, orderedSections } from './order.ts';
import { Section, type ItemListProps } from './Section.tsx';
import { ActionItems, Tldr } from './Tldr.tsx';
import { WeatherCard } from './WeatherCard.tsx';

const SECTION_TITLES: Record<string, string> = {
  email: 'Important email',
  calendar: "Today's calendar",
  market: 'Markets',
  tech: 'Tech',
  news: 'News',
};

type Props = Omit<ItemListProps, 'timezone' | 'date'> & { brief: Brief; onJump: (itemId: string) => void };

export function BriefView({ brief, onJump, ...listProps }: Props) {
  const itemsById = useMemo(() => new Map<string, BriefItem>(itemsInOrder(brief).map((i) => [i.id, i])), [brief]);
  const sections = orderedSections(brief);
  return (
    <article className="brief" aria-label={`Brief for ${brief.date}`}>
      {brief.notices.length > 0 && (
        <ul className="notices" aria-label="Notices">
          {brief.notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
      <Tldr bullets={brief.tldr} itemsById={itemsById} onJump={onJump} />
      {brief.summary && (
        <section className="card" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Summary</h2>
          <p>{brief.summary}</p>
        </section>
      )}
      {brief.actionItems && brief.actionItems.length > 0 && (
        <ActionItems actions={brief.actionItems} itemsById={itemsById} onJump={onJump} />
      )}
      {brief.weather && <WeatherCard weather={brief.weather} />}
      {sections.map((section) => (
        <Section
          key={section.kind}
          title={SECTION_TITLES[section.kind] ?? section.title}
          kind={section.kind}
          items={section.items}
          timezone={brief.timezone}
          date={brief.date}
          {...listProps}
        />
      ))}
    </article>
  );
}
