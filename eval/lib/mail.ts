/**
 * Mail and meetings for eval:brief, with known answers: which emails and remembered items belong to
 * each meeting, and which emails state a deadline (and when, in the user's zone).
 */
import type { BriefItem, Item } from '../../core/types.ts';
import type { Random } from '../../bench/lib/random.ts';

export const ZONE = 'America/New_York';
/** Tuesday 1 December 2026, 09:00 in New York: every deadline below is stated relative to this. */
export const SENT = '2026-12-01T14:00:00.000Z';

/** [email text, due as local "YYYY-MM-DD[ HH:MM]" or null when it states no deadline, subject] */
export const DEADLINE_CASES: [string, string | null, string?][] = [
  ['Please send the signed contract by Friday.', '2026-12-04'],
  ['Can you share the slides before our 2pm call?', '2026-12-01 14:00'],
  ['The deadline for the grant application is December 12.', '2026-12-12'],
  ['I need your comments by tomorrow at noon.', '2026-12-02 12:00'],
  ['RSVP by Thursday so we can book the room.', '2026-12-03'],
  ['Could you review the draft by end of day?', '2026-12-01 17:00'],
  ['Please approve the invoice no later than Monday 10am.', '2026-12-07 10:00'],
  ['Submit your expense report by Dec 15.', '2026-12-15'],
  ['Can we get the numbers before 4:30pm today?', '2026-12-01 16:30'],
  ['Please confirm your attendance by Wednesday, December 9.', '2026-12-09'],
  ['Hi, the form is due on the 10th. Thanks!', '2026-12-10'],
  ['Let me know by next Tuesday whether you can join.', '2026-12-08'],
  ['Reply by 11am tomorrow if anything is missing.', '2026-12-02 11:00'],
  ['We need the final copy by Friday 3pm.', '2026-12-04 15:00'],
  ['Please sign the NDA before Thursday’s meeting.', '2026-12-03'],
  ['Your passport renewal must be submitted by January 5.', '2027-01-05'],
  ['Could you send the budget in 2 days?', '2026-12-03'],
  ['Payment is due December 20.', '2026-12-20'],
  ['Review the pull request by EOD please.', '2026-12-01 17:00'],
  ['Please book the flights by the end of the week.', '2026-12-04'],
  ['Thanks.', '2026-12-04', 'Timesheet due Friday'],
  ['Can you call the client at 3:15pm?', '2026-12-01 15:15'],
  // No deadline: history, marketing, mere mentions of days and figures.
  ['We met last Tuesday and agreed on the plan.', null],
  ['As agreed last Monday, please send the report.', null],
  ['Thanks for Monday’s workshop, please find the notes attached.', null],
  ['The conference took place on November 20.', null],
  ['Your order shipped on Saturday.', null],
  ['Hope you have a great day tomorrow!', null],
  ['Version 2.4 is out, please upgrade when you can.', null],
  ['Please find the minutes from Tuesday attached.', null],
  ['The team grew to 12 people this year.', null],
  ['Lovely to see you at the dinner on Friday.', null],
];
/** Marketing that states a date, which is never the user's deadline. */
export const PROMO_CASES = ['Sale ends Friday, order by midnight!', 'Register by December 5 to save 30%.'];

export function deadlineMail(index: number, text: string, subject?: string, promo = false): Item {
  return {
    id: `gmail:dl${String(index)}`,
    kind: 'email',
    source: 'gmail',
    title: subject ?? (promo ? 'Offers for you' : 'Quick note'),
    snippet: text,
    author: promo ? 'Shop <deals@shop.example>' : 'Jordan Lee <jordan@acme.example>',
    publishedAt: SENT,
    tags: promo ? ['CATEGORY_PROMOTIONS'] : [],
  };
}

const FIRST = ['Dana', 'Li', 'Sam', 'Priya', 'Marco', 'Ines', 'Tomás', 'Hana', 'Ada', 'Kofi', 'Mei', 'Rui'];
const LAST = [
  ...['Reyes', 'Wei', 'Okafor', 'Raman', 'Bianchi', 'Duarte', 'Ruiz', 'Kim', 'Lovelace', 'Mensah', 'Chen'],
  ...['Novak', 'Haddad', 'Sato', 'Adeyemi', 'Berg', 'Costa', 'Soto', 'Moreau', 'Schmidt', 'Larsen', 'Ivanova'],
];
const SUBJECTS = ['Pricing review', 'Renewal', 'Hiring plan', 'Launch', 'Security audit', 'Budget'];
const CODENAMES = ['Amber', 'Birch', 'Cedar', 'Dune', 'Ember', 'Fjord', 'Garnet', 'Harbor'];
const PLACES = ['Lisbon', 'Oslo', 'Quito', 'Nairobi', 'Kyoto', 'Tallinn'];
const OTHER = ['Lunch order', 'Parking changes', 'Office plants', 'Printer fixed', 'Holiday party photos'];

/** Six people of the case's own (two attendees, four others): in one inbox of up to 44 cases, nobody is shared. */
function peopleOf(index: number): { name: string; email: string }[] {
  return Array.from({ length: 6 }, (_, k) => {
    const n = index * 6 + k;
    const first = FIRST[n % FIRST.length] ?? 'Ada';
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length] ?? 'Kim';
    return { name: `${first} ${last}`, email: `${first.toLowerCase()}.${last.toLowerCase()}${String(n)}@acme.example` };
  });
}

export interface MeetingCase {
  event: BriefItem;
  emails: Item[];
  memory: { itemId: string; kind: 'news' | 'brief'; title: string; document: string }[];
  /** Ids of what the user should see before it. */
  relevant: Set<string>;
}

/** A meeting with two colleagues, mail from, to and about it, unrelated mail, and remembered items. */
export function meetingCase(rnd: Random, index: number, now: Date): MeetingCase {
  const people = shuffle(rnd, peopleOf(index));
  const [a, b] = [people[0], people[1]] as [{ name: string; email: string }, { name: string; email: string }];
  const others = people.slice(2);
  // Unique per case: "Budget Cedar Oslo" names one meeting only.
  const subject = `${rnd.pick(SUBJECTS)} ${CODENAMES[index % CODENAMES.length] ?? ''} ${PLACES[Math.floor(index / CODENAMES.length) % PLACES.length] ?? ''}`;
  const start = new Date(now.getTime() + rnd.between(1, 8) * 3_600_000);
  const event: BriefItem = {
    id: `calendar:m${String(index)}`,
    kind: 'event',
    source: 'calendar',
    title: subject,
    snippet: '2 other attendees',
    score: 1,
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    author: a.email,
    meta: {
      organizer: a.email,
      attendees: [
        { email: 'me@acme.example', self: true },
        { email: a.email, name: a.name },
        { email: b.email.toUpperCase(), name: b.name },
      ],
    },
  };
  const relevant = new Set<string>();
  const emails: Item[] = [];
  const mail = (tag: string, extra: Partial<Item>, isRelevant: boolean): void => {
    const id = `gmail:m${String(index)}${tag}`;
    emails.push({
      id,
      kind: 'email',
      source: 'gmail',
      title: rnd.pick(OTHER),
      snippet: 'See below.',
      publishedAt: new Date(now.getTime() - rnd.between(2, 90) * 3_600_000).toISOString(),
      tags: [],
      ...extra,
    });
    if (isRelevant) relevant.add(id);
  };
  if (rnd.random() < 0.8) mail('a', { author: `${a.name} <${a.email}>`, meta: { from: a.email } }, true);
  if (rnd.random() < 0.5) mail('b', { author: `${b.name} <${b.email}>` }, true);
  if (rnd.random() < 0.4) mail('t', { author: 'Me <me@acme.example>', meta: { to: [b.email] } }, true);
  // A notification sent on an attendee's behalf: their name, another address.
  if (rnd.random() < 0.3)
    mail('d', { author: `${a.name} <comments@docs.example>`, snippet: `${a.name} commented.` }, true);
  if (rnd.random() < 0.6) {
    const c = others[0] ?? a;
    mail(
      's',
      { author: `${c.name} <${c.email}>`, snippet: `My notes for the ${subject.toLowerCase()} are attached.` },
      true,
    );
  }
  for (let i = 0; i < 4; i++) {
    const c = others[(i + 1) % others.length] ?? a;
    mail(`x${String(i)}`, { author: `${c.name} <${c.email}>` }, false);
  }
  const memory: MeetingCase['memory'] = [
    {
      itemId: `brief:m${String(index)}n`,
      kind: 'brief',
      title: 'Earlier brief',
      document: `${a.name} asked about the timeline.`,
    },
    { itemId: `rss:m${String(index)}z`, kind: 'news', title: 'Markets steady', document: 'Stocks were flat.' },
    { itemId: `rss:m${String(index)}y`, kind: 'news', title: 'Weather turns', document: 'Rain is expected.' },
  ];
  relevant.add(`brief:m${String(index)}n`);
  return { event, emails, memory, relevant };
}

function shuffle<T>(rnd: Random, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}
