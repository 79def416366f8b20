/**
 * The word lists the benches build their seeded mail, meetings and news from, and the builders that draw titles,
 * people and sentences with a bench's own random helpers (bench/lib/random.ts).
 */
import type { Random } from './random.ts';

export const FIRST = [
  'Anna',
  'Jonas',
  'Priya',
  'Mateo',
  'Lena',
  'Tomasz',
  'Chloé',
  'Kwame',
  'Sofia',
  'Yuki',
  'Omar',
  'Ines',
  'Henrik',
  'Aisha',
  'Luca',
  'Mei',
  'Rafael',
  'Freya',
  'Dmitri',
  'Amara',
] as const;
export const LAST = [
  'Schmidt',
  'Okafor',
  'Novak',
  'Fischer',
  'Rossi',
  'Lindqvist',
  'Haddad',
  'Moreau',
  'Tanaka',
  'Weber',
  'Kowalski',
  'Brennan',
  'Castillo',
  'Nakamura',
  'Adeyemi',
  'Horvath',
] as const;
export const COMPANIES = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Globex',
  'Initech',
  'Umbrella Labs',
  'Tailspin',
  'Litware',
  'Wingtip',
  'Proseware',
  'Adatum',
  'Lucerne',
  'Coho Vineyard',
  'Woodgrove Bank',
] as const;
export const PROJECTS = [
  'the Northwind renewal',
  'the Q1 budget',
  'the data platform migration',
  'the Contoso pilot',
  'the hiring plan',
  'the security audit',
  'the pricing change',
  'the Berlin office move',
  'the mobile app relaunch',
  'the GDPR review',
  'the warehouse automation',
  'the customer churn analysis',
  'the Lisbon offsite',
  'the vendor consolidation',
  'the support chatbot',
  'the annual report',
] as const;
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
export const TIMES = ['10:00', '12:00', '15:00', '17:00', 'end of day'] as const;
export const ROOMS = [
  'Room Spree',
  'Room Havel',
  'Google Meet',
  'Zoom',
  'Café Einstein',
  'Board room',
  'Room 4.12',
] as const;
export const PRODUCTS = [
  'running shoes',
  'winter jackets',
  'headphones',
  'coffee machines',
  'desk chairs',
  'e-bikes',
] as const;
export const CITIES = ['Berlin', 'Lisbon', 'Warsaw', 'Dublin', 'Tokyo', 'Nairobi', 'São Paulo', 'Toronto'] as const;
/** Who sends the mail no person wrote. */
export const SERVICES = [
  'Zalando',
  'GitHub',
  'LinkedIn',
  'Deutsche Bahn',
  'Stripe',
  'MediaMarkt',
  'Lufthansa',
] as const;
export const FEEDS = {
  market: ['MarketWatch', 'CNBC Top News', 'Reuters Business', 'Financial Times'],
  tech: ['Ars Technica', 'The Verge', 'Heise', 'Wired'],
  world: ['BBC World', 'Tagesschau', 'Al Jazeera English', 'Nature News'],
} as const;

export type EmailKind = 'important' | 'work' | 'updates' | 'promo' | 'social';
export type NewsCategory = keyof typeof FEEDS;
export type Sentences = readonly (() => string)[];

export interface Words {
  person: () => { name: string; address: string };
  /** A no-reply sender for mail no person wrote. */
  service: () => { name: string; address: string };
  emailSubject: (kind: EmailKind) => string;
  eventTitle: () => string;
  marketTitle: () => string;
  techTitle: () => string;
  worldTitle: () => string;
  sentences: {
    work: Sentences;
    promo: Sentences;
    updates: Sentences;
    social: Sentences;
    news: Record<NewsCategory, Sentences>;
  };
  /** The sentences an email of this kind is written in. */
  emailSentences: (kind: EmailKind) => Sentences;
}

/** The builders, drawing with `r`: the same seed gives the same words. */
export function createWords(r: Random): Words {
  const { between, pick, hex, slug } = r;

  const work: Sentences = [
    () => `Could you confirm the figures for ${pick(PROJECTS)} before ${pick(TIMES)}?`,
    () => `I attached the revised draft; sections ${between(2, 9)}.${between(1, 5)} changed most.`,
    () => `${pick(FIRST)} from finance says the forecast is now €${between(20, 900)}k, ${between(2, 15)}% above plan.`,
    () => `The steering group meets on ${pick(DAYS)} and wants a one-page summary of ${pick(PROJECTS)} beforehand.`,
    () => `If we miss this window the rollout slips by ${between(1, 4)} weeks, which pushes ${pick(PROJECTS)} too.`,
    () => 'Let me know if anything is unclear, happy to jump on a call.',
    () => 'Legal flagged the liability cap and the termination clause as the two open points.',
    () => `${pick(COMPANIES)} asked for a ${between(3, 12)}% discount in exchange for a three-year term.`,
    () => "Notes from yesterday's call are below, with the decisions marked.",
    () => `We still need a named owner for the runbook; ${pick(FIRST)} offered to take it if nobody else does.`,
    () =>
      `${pick(COMPANIES)} moved their go-live to ${pick(DAYS)}, so the test window shrinks to ${between(2, 5)} days.`,
    () =>
      `Please review the ${between(3, 40)} open comments in the shared document and resolve the ones assigned to you.`,
    () => `The penetration testers found ${between(1, 9)} medium findings in the ${pick(COMPANIES)} integration.`,
    () => `Travel to ${pick(CITIES)} is booked; the hotel is close to the ${pick(COMPANIES)} office.`,
    () =>
      `Candidate interviews for the ${pick(['backend', 'data', 'design', 'sales'])} role continue on ${pick(DAYS)}.`,
  ];
  const promo: Sentences = [
    () => `Save up to ${between(20, 70)}% on ${pick(PRODUCTS)} this week only.`,
    () => `Members get free shipping on orders over €${between(25, 99)}.`,
    () => `Use code ${hex(6).toUpperCase()} at checkout.`,
    () => `Our bestselling ${pick(PRODUCTS)} are back in stock in every size.`,
    () => 'You are receiving this email because you signed up at our store. Unsubscribe at any time.',
  ];
  const updates: Sentences = [
    () => `Your order #${between(100000, 999999)} has shipped and should arrive on ${pick(DAYS)}.`,
    () => `A new sign-in to your account was detected from ${pick(CITIES)}.`,
    () => `Your invoice is ready: €${between(9, 400)}.${between(10, 99)}.`,
    () => `${between(2, 9)} pull requests are waiting for your review in ${slug(pick(COMPANIES))}/platform.`,
    () => 'If this was not you, reset your password from the security page.',
    () => `Your train to ${pick(CITIES)} on ${pick(DAYS)} is delayed by ${between(10, 90)} minutes.`,
  ];
  const social: Sentences = [
    () => `${pick(FIRST)} ${pick(LAST)} commented on your post about ${pick(PROJECTS)}.`,
    () => `You have ${between(2, 30)} new connection requests.`,
    () => `${pick(FIRST)} shared an article: "${pick(COMPANIES)} opens a new office in ${pick(CITIES)}".`,
  ];
  const news: Record<NewsCategory, Sentences> = {
    market: [
      () => `Analysts at ${pick(COMPANIES)} Capital had expected ${between(1, 9)}% growth for the quarter.`,
      () => `Trading volume was ${between(10, 60)}% above the 30-day average.`,
      () => `The company said it would update its guidance on ${pick(DAYS)}.`,
      () => `Bond yields moved ${between(2, 15)} basis points as investors priced in the next central bank meeting.`,
      () => `Brent crude ${pick(['rose', 'fell'])} to $${between(60, 95)} a barrel on supply worries.`,
      () => `Shares of rivals ${pick(COMPANIES)} and ${pick(COMPANIES)} moved in sympathy.`,
    ],
    tech: [
      () => `The release ships to ${between(2, 90)} million devices over the next ${between(2, 6)} weeks.`,
      () => `Developers reported ${between(10, 60)}% faster builds in early benchmarks.`,
      () => 'Regulators in the EU said they were reviewing the announcement.',
      () => `The vulnerability affects versions before ${between(2, 9)}.${between(0, 20)} and is already exploited.`,
      () => `The new chip is made on a ${pick([2, 3, 4, 5])} nanometre process and draws ${between(5, 40)} watts.`,
      () => `The open-source project gained ${between(1, 40)} thousand stars on GitHub within a week.`,
    ],
    world: [
      () => `Storms in ${pick(CITIES)} cut power to ${between(10, 400)} thousand homes.`,
      () => `Rail workers announced a ${between(1, 5)}-day strike starting ${pick(DAYS)}.`,
      () => `The climate summit ended with a pledge to cut methane by ${between(10, 40)}% by 2035.`,
      () => `Voters in ${pick(CITIES)} go to the polls on ${pick(DAYS)} after a close campaign.`,
      () => `Researchers published a vaccine trial with ${between(1, 30)} thousand participants.`,
      () => `The space agency moved the lunar launch window to ${pick(['spring', 'summer', 'autumn'])}.`,
    ],
  };

  const person = (): { name: string; address: string } => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return { name: `${first} ${last}`, address: `${slug(first)}.${slug(last)}@${slug(pick(COMPANIES))}.com` };
  };
  const service = (): { name: string; address: string } => ({
    name: pick(SERVICES),
    address: `no-reply@${pick(['mail', 'news', 'notify'])}.example.com`,
  });

  const emailSubject = (kind: EmailKind): string => {
    switch (kind) {
      case 'important':
        return `${pick(['Action needed', 'Sign-off needed', 'Decision by', 'Urgent'])}: ${pick(PROJECTS)} by ${pick(DAYS)} ${pick(TIMES)}`;
      case 'work':
        return `Re: ${pick(PROJECTS)} — ${pick(['notes', 'next steps', 'draft v3', 'figures', 'open points'])}`;
      case 'updates':
        return pick([
          'Your order has shipped',
          'New sign-in to your account',
          'Your invoice is ready',
          'Review requested',
          'Train delayed',
        ]);
      case 'promo':
        return `${between(20, 70)}% off ${pick(PRODUCTS)} — this week only`;
      case 'social':
        return `${pick(FIRST)} ${pick(LAST)} commented on your post`;
    }
  };
  const emailSentences = (kind: EmailKind): Sentences =>
    kind === 'important' || kind === 'work' ? work : kind === 'updates' ? updates : kind === 'promo' ? promo : social;

  const eventTitle = (): string =>
    `${pick(['Stand-up', 'Review', '1:1', 'Planning', 'Workshop', 'Sync', 'Interview', 'Demo'])}: ${pick(PROJECTS).replace(/^the /, '')}`;

  const marketTitle = (): string =>
    pick([
      () =>
        `${pick(COMPANIES)} shares ${pick(['rise', 'fall', 'jump', 'slide'])} ${between(1, 14)}% after ${pick(['earnings', 'a guidance cut', 'an upgrade', 'a buyback plan'])}`,
      () =>
        `DAX ${pick(['closes higher', 'slips', 'hits a record'])} as ${pick(['chip stocks rally', 'yields climb', 'oil drops'])}`,
      () =>
        `Central bank ${pick(['holds rates', 'signals two cuts', 'warns on inflation'])} ahead of ${pick(DAYS)} vote`,
      () =>
        `Euro ${pick(['gains', 'weakens'])} against the dollar on ${pick(['jobs data', 'trade talks', 'rate bets'])}`,
    ])();
  const techTitle = (): string =>
    pick([
      () =>
        `${pick(COMPANIES)} ${pick(['launches', 'delays', 'open-sources', 'cancels'])} its ${pick(['AI assistant', 'laptop line', 'database', 'browser', 'smart glasses'])}`,
      () =>
        `${pick(['Linux', 'Rust', 'Node', 'Postgres', 'Kubernetes', 'Firefox'])} ${between(2, 30)} released with ${pick(['faster builds', 'a new scheduler', 'better tooling', 'memory safety fixes'])}`,
      () =>
        `EU ${pick(['fines', 'opens a probe into', 'clears'])} ${pick(COMPANIES)} over ${pick(['app store rules', 'data transfers', 'a merger'])}`,
      () => `Critical ${pick(['OpenSSL', 'router', 'VPN', 'browser'])} vulnerability patched after ransomware attacks`,
    ])();
  const worldTitle = (): string =>
    pick([
      () => `${pick(['Floods', 'Heatwave', 'Storms', 'Wildfires'])} hit ${pick(CITIES)} region`,
      () =>
        `${pick(CITIES)} ${pick(['election', 'rail strike', 'transit plan'])} ${pick(['dominates week', 'ends in deadlock', 'draws crowds'])}`,
      () => `Climate summit ${pick(['agrees methane pledge', 'stalls over funding', 'opens in ' + pick(CITIES)])}`,
      () =>
        `${pick(['Lunar mission', 'Vaccine trial', 'Fusion experiment'])} ${pick(['reaches milestone', 'delayed', 'shows promise'])}`,
    ])();

  return {
    person,
    service,
    emailSubject,
    eventTitle,
    marketTitle,
    techTitle,
    worldTitle,
    sentences: { work, promo, updates, social, news },
    emailSentences,
  };
}
