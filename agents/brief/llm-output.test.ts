import { describe, expect, it } from 'vitest';
import { BANNED_PHRASES } from '../reasoner/prompts.ts';
import { countSentences, InvalidOutputError, validateLlmBrief } from './llm-output.ts';

const IDS = new Set(['gmail:m-1', 'calendar:e-1', 'rss:n-1', 'rss:n-2']);

const SUMMARY =
  'Legal needs your answer on the Northwind redlines by 15:00. The renewal review at 11:00 is where to settle it. ' +
  'Rates were held at 4.25% with two cuts pencilled in. Chip stocks lifted the index 1.2%.';

type Reply = Record<string, unknown>;

function reply(overrides: Reply = {}): Reply {
  return {
    tldr: [
      { text: 'Confirm sections 4.2 and 7.1 before 15:00.', itemIds: ['gmail:m-1'] },
      { text: 'Four meetings today, the first at 09:30.', itemIds: ['calendar:e-1'] },
      { text: 'Rates held at 4.25%, two cuts signalled.', itemIds: ['rss:n-1'] },
    ],
    summary: SUMMARY,
    actionItems: [{ text: 'Confirm sections 4.2 and 7.1', itemIds: ['gmail:m-1'], due: 'today 15:00' }],
    insights: [{ text: 'The deadline falls after the renewal review.', itemIds: ['gmail:m-1', 'calendar:e-1'] }],
    whyItMatters: [{ itemId: 'gmail:m-1', text: 'Countersigning slips a day if you miss 15:00.' }],
    ...overrides,
  };
}

const json = (value: unknown): string => JSON.stringify(value);

/** The message of the InvalidOutputError a reply is rejected with. */
function rejection(text: string, ids: ReadonlySet<string> = IDS): string {
  try {
    validateLlmBrief(text, ids);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOutputError);
    return (error as Error).message;
  }
  throw new Error('the reply was accepted');
}

describe('validateLlmBrief: accepted replies', () => {
  it('accepts a valid reply and returns the parsed brief', () => {
    const brief = validateLlmBrief(json(reply()), IDS);
    expect(brief.tldr.map((b) => b.itemIds[0])).toEqual(['gmail:m-1', 'calendar:e-1', 'rss:n-1']);
    expect(brief.summary).toBe(SUMMARY);
    expect(brief.actionItems[0]).toEqual({
      text: 'Confirm sections 4.2 and 7.1',
      itemIds: ['gmail:m-1'],
      due: 'today 15:00',
    });
    expect(brief.whyItMatters).toEqual([
      { itemId: 'gmail:m-1', text: 'Countersigning slips a day if you miss 15:00.' },
    ]);
  });

  it('accepts the JSON inside a ```json fence', () => {
    const text = `\`\`\`json\n${JSON.stringify(reply(), null, 2)}\n\`\`\``;
    expect(validateLlmBrief(text, IDS).summary).toBe(SUMMARY);
  });

  it('accepts the JSON after leading prose and before trailing prose', () => {
    const text = `Here is the brief you asked for:\n\n${json(reply())}\n\nLet me know if you need more.`;
    expect(validateLlmBrief(text, IDS).tldr).toHaveLength(3);
  });

  it('fills in the optional lists when the model leaves them out', () => {
    const { tldr, summary } = reply();
    const brief = validateLlmBrief(json({ tldr, summary }), IDS);
    expect(brief.actionItems).toEqual([]);
    expect(brief.insights).toEqual([]);
    expect(brief.whyItMatters).toEqual([]);
  });

  it('trims text fields', () => {
    const brief = validateLlmBrief(json(reply({ summary: `   ${SUMMARY}   ` })), IDS);
    expect(brief.summary).toBe(SUMMARY);
  });
});

describe('validateLlmBrief: not JSON', () => {
  it('says when there is no JSON object at all', () => {
    expect(rejection('I could not write the brief today.')).toBe('the reply contains no JSON object');
    expect(rejection('} nothing {')).toBe('the reply contains no JSON object');
  });

  it('says when the JSON is malformed', () => {
    expect(rejection('{"tldr": [ oops }')).toMatch(/^the reply is not valid JSON \(/);
  });
});

describe('validateLlmBrief: schema errors name the field', () => {
  const cases: [string, Reply, RegExp][] = [
    ['a missing tldr', { tldr: undefined }, /^field tldr: /],
    ['tldr not an array', { tldr: 'three bullets' }, /^field tldr: /],
    [
      'more than 3 tldr bullets',
      { tldr: [...(reply().tldr as unknown[]), { text: 'Fourth.', itemIds: ['rss:n-2'] }] },
      /^field tldr: /,
    ],
    ['a tldr bullet without ids', { tldr: [{ text: 'No source here.', itemIds: [] }] }, /^field tldr\.0\.itemIds: /],
    [
      'a tldr bullet with too short a text',
      { tldr: [{ text: '  a ', itemIds: ['gmail:m-1'] }] },
      /^field tldr\.0\.text: /,
    ],
    ['a summary that is not text', { summary: ['One.', 'Two.'] }, /^field summary: /],
    [
      'an action item with an empty id',
      { actionItems: [{ text: 'Do it', itemIds: [''], due: null }] },
      /^field actionItems\.0\.itemIds\.0: /,
    ],
    [
      'a due date that is not a string',
      { actionItems: [{ text: 'Do it', itemIds: ['gmail:m-1'], due: 15 }] },
      /^field actionItems\.0\.due: /,
    ],
    ['an insight without text', { insights: [{ itemIds: ['gmail:m-1'] }] }, /^field insights\.0\.text: /],
    [
      'a why-line without an item id',
      { whyItMatters: [{ text: 'It matters a lot.' }] },
      /^field whyItMatters\.0\.itemId: /,
    ],
  ];
  it.each(cases)('rejects %s', (_name, overrides, message) => {
    expect(rejection(json(reply(overrides)))).toMatch(message);
  });

  it('names the first missing field of an empty object, and says what it expected', () => {
    expect(rejection('{}')).toBe('field tldr: Invalid input: expected array, received undefined');
    expect(rejection('[1, 2]')).toBe('the reply contains no JSON object');
  });
});

describe('validateLlmBrief: citations', () => {
  const ghost = 'gmail:does-not-exist';
  const cases: [string, Reply][] = [
    ['tldr', { tldr: [{ text: 'Invented.', itemIds: [ghost] }, ...(reply().tldr as unknown[]).slice(1)] }],
    ['actionItems', { actionItems: [{ text: 'Invented.', itemIds: ['gmail:m-1', ghost], due: null }] }],
    ['insights', { insights: [{ text: 'Invented link.', itemIds: [ghost] }] }],
    ['whyItMatters', { whyItMatters: [{ itemId: ghost, text: 'It matters.' }] }],
  ];
  it.each(cases)('rejects an unknown id cited in %s, naming the id', (_field, overrides) => {
    expect(rejection(json(reply(overrides)))).toBe(`cites ids that are not in the input: ${ghost}`);
  });

  it('names each unknown id once, and at most five', () => {
    const ghosts = ['x:1', 'x:2', 'x:3', 'x:4', 'x:5', 'x:6', 'x:7'];
    const message = rejection(
      json(
        reply({
          insights: [
            { text: 'First invented link.', itemIds: ghosts.slice(0, 4) },
            { text: 'Second invented link.', itemIds: ['x:1', ...ghosts.slice(4)] },
          ],
        }),
      ),
    );
    expect(message).toBe('cites ids that are not in the input: x:1, x:2, x:3, x:4, x:5');
  });

  it('compares ids exactly (case and whitespace matter)', () => {
    expect(rejection(json(reply({ whyItMatters: [{ itemId: 'GMAIL:M-1', text: 'It matters.' }] })))).toBe(
      'cites ids that are not in the input: GMAIL:M-1',
    );
  });
});

describe('validateLlmBrief: tldr length', () => {
  const bullet = (id: string) => ({ text: `About ${id}.`, itemIds: [id] });

  it('wants exactly three bullets when there are three or more items', () => {
    expect(rejection(json(reply({ tldr: [bullet('gmail:m-1'), bullet('rss:n-1')] })))).toBe(
      'tldr must have exactly 3 bullets',
    );
    expect(rejection(json(reply({ tldr: [bullet('gmail:m-1')] })))).toBe('tldr must have exactly 3 bullets');
  });

  it('wants as many bullets as items when there are fewer than three', () => {
    const two = new Set(['gmail:m-1', 'rss:n-1']);
    const twoReply = reply({ tldr: [bullet('gmail:m-1'), bullet('rss:n-1')], insights: [], whyItMatters: [] });
    expect(validateLlmBrief(json(twoReply), two).tldr).toHaveLength(2);
    const three = reply({
      tldr: [bullet('gmail:m-1'), bullet('rss:n-1'), bullet('gmail:m-1')],
      insights: [],
      whyItMatters: [],
    });
    expect(rejection(json(three), two)).toBe('tldr must have exactly 2 bullets');

    const one = new Set(['gmail:m-1']);
    const oneReply = reply({ tldr: [bullet('gmail:m-1')], insights: [], whyItMatters: [] });
    expect(validateLlmBrief(json(oneReply), one).tldr).toHaveLength(1);
    expect(rejection(json(reply({ tldr: [bullet('gmail:m-1'), bullet('gmail:m-1')], insights: [] })), one)).toBe(
      'tldr must have exactly 1 bullets',
    );
  });
});

describe('validateLlmBrief: summary length', () => {
  const sentences = (n: number) =>
    Array.from({ length: n }, (_, i) => `Sentence number ${i + 1} says something concrete.`).join(' ');

  it.each([4, 5, 6])('accepts %i sentences', (n) => {
    expect(validateLlmBrief(json(reply({ summary: sentences(n) })), IDS).summary).toBe(sentences(n));
  });

  // Issue 12 item 17: a summary of the wrong length costs only the summary, never the cited TL;DR and actions.
  it.each([1, 2, 3])('keeps the rest of a brief whose summary has %i sentences, without the summary', (n) => {
    const brief = validateLlmBrief(json(reply({ summary: sentences(n) })), IDS);
    expect(brief.summary).toBeUndefined();
    expect(brief.tldr).toEqual(reply().tldr);
    expect(brief.actionItems).toHaveLength(1);
    expect(brief.insights).toHaveLength(1);
    expect(brief.repairs).toEqual([`summary dropped: ${n} sentence${n === 1 ? '' : 's'}, not 4 to 6`]);
  });

  it.each([7, 8, 12])('cuts a summary of %i sentences to its first 6, and says so', (n) => {
    const brief = validateLlmBrief(json(reply({ summary: sentences(n) })), IDS);
    expect(brief.summary).toBe(sentences(6));
    expect(brief.tldr).toEqual(reply().tldr);
    expect(brief.repairs).toEqual([`summary cut from ${n} to 6 sentences`]);
  });

  it('cuts by the same sentence count it checks: abbreviations do not end a sentence', () => {
    const summary = `Dr. Weber moved the review, e.g. after the stand-up. ${sentences(7)}`;
    const brief = validateLlmBrief(json(reply({ summary })), IDS);
    expect(brief.summary).toBe(`Dr. Weber moved the review, e.g. after the stand-up. ${sentences(5)}`);
    expect(brief.repairs).toEqual(['summary cut from 8 to 6 sentences']);
  });

  it.each([
    ['missing', undefined, 'summary dropped: missing'],
    ['too short to say anything', 'Too short.', 'summary dropped: 1 sentence, not 4 to 6'],
    [
      'longer than 2000 characters in 6 sentences',
      `${'Word '.repeat(400)}end. ${sentences(5)}`,
      'summary dropped: longer than 2000 characters',
    ],
  ])('drops a summary that is %s and keeps the brief', (_name, summary, repair) => {
    const brief = validateLlmBrief(json(reply({ summary })), IDS);
    expect(brief.summary).toBeUndefined();
    expect(brief.tldr).toHaveLength(3);
    expect(brief.repairs).toEqual([repair]);
  });

  it('a good summary needs no repair', () => {
    expect(validateLlmBrief(json(reply()), IDS).repairs).toBeUndefined();
  });

  it('still rejects the whole brief when its citations are bad, whatever the summary', () => {
    const bad = reply({ summary: sentences(8), tldr: [{ text: 'Invented line here.', itemIds: ['gmail:nope'] }] });
    expect(rejection(json(bad))).toMatch(/^cites ids that are not in the input: gmail:nope/);
  });

  it('does not count abbreviations and decimals as sentence ends', () => {
    const summary =
      'Dr. Weber moved the review to 11:00, e.g. after the stand-up. Rates were held at 4.25% and the index rose 1.2%. ' +
      'Bring the figures, i.e. the Q3 numbers. That is all.';
    expect(validateLlmBrief(json(reply({ summary })), IDS).summary).toBe(summary);
    // Split naively on every period it would be 9 "sentences" and rejected.
    expect(summary.split('.').length - 1).toBeGreaterThan(6);
  });
});

describe('countSentences', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['   ', 0],
    ['One sentence.', 1],
    ['One sentence without a full stop', 1],
    ['One. Two. Three.', 3],
    ['One. Two', 2],
    ['Really?! Yes!!! Fine...', 3],
    ['Rates were held at 4.25% today. Chips rose 1.2%.', 2],
    ['The index closed at 4,512.75 points. Oil fell.', 2],
    ['Bring snacks, e.g. fruit, to the offsite. Then rest.', 2],
    ['Use the new form, i.e. the blue one. Send it today.', 2],
    ['E.G. this is shouted. Still one more.', 2],
    ['Dr. Smith called. She will call back.', 2],
    ['Mr. and Mrs. Lee arrive at 10:00. Ms. Park joins them.', 2],
    ['Apple vs. Google goes to trial. The ruling is due Friday.', 2],
    ['Meet at 221 Baker St. at noon', 1],
    ['Version 3.10 ships today. Upgrade soon.', 2],
    ['Line one.\nLine two.\n\nLine three.', 3],
  ];
  it.each(cases)('%j has %i sentences', (text, n) => {
    expect(countSentences(text)).toBe(n);
  });
});

describe('validateLlmBrief: banned filler', () => {
  const fields: [string, (phrase: string) => Reply][] = [
    ['summary', (p) => ({ summary: `${SUMMARY.slice(0, -1)}, ${p} aside.` })],
    [
      'tldr',
      (p) => ({
        tldr: [{ text: `Email brings ${p} today.`, itemIds: ['gmail:m-1'] }, ...(reply().tldr as unknown[]).slice(1)],
      }),
    ],
    ['actionItems', (p) => ({ actionItems: [{ text: `Reply on ${p}`, itemIds: ['gmail:m-1'], due: null }] })],
    ['insights', (p) => ({ insights: [{ text: `The feeds show ${p}.`, itemIds: ['rss:n-1'] }] })],
    ['whyItMatters', (p) => ({ whyItMatters: [{ itemId: 'rss:n-2', text: `It covers ${p}.` }] })],
  ];
  const variants = (phrase: string) => [phrase, phrase.toUpperCase(), phrase.replace(/\b\w/g, (c) => c.toUpperCase())];
  const cases = BANNED_PHRASES.flatMap((phrase) =>
    fields.flatMap(([field, make]) => variants(phrase).map((variant) => [phrase, variant, field, make] as const)),
  );

  it('has phrases to check', () => {
    expect(BANNED_PHRASES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('rejects "%s" (as %j) in %s', (phrase, variant, _field, make) => {
    expect(rejection(json(reply(make(variant))))).toBe(`uses the banned filler phrase "${phrase}"`);
  });

  it('accepts the same words when they do not form the phrase', () => {
    const summary =
      'The mix of bonds and updates to the fund rules land today. Various teams meet on topics for Q1. ' +
      'Interesting: developments at the plant slowed. The index continued rising to 4.25%.';
    expect(validateLlmBrief(json(reply({ summary })), IDS).summary).toBe(summary);
  });
});
