import { describe, expect, it } from 'vitest';
import type { Brief } from '../../core/types.ts';
import { sortNotices } from '../src/brief/notices.ts';
import { dueWords, relativeTime } from '../src/format.ts';
import { otherProblem, plainError } from '../src/settings/plainErrors.ts';
import { modelListProblem } from '../src/settings/ModelPicker.tsx';
import { AppError } from '../../contract/envelope.ts';
import { validateSettings } from '../../core/settings-file.ts';

const brief = (over: Partial<Brief>): Brief => ({
  id: 'b',
  date: '2026-12-03',
  timezone: 'Europe/Berlin',
  generatedAt: '2026-12-03T06:00:00.000Z',
  dataAsOf: '2026-12-03T06:00:00.000Z',
  tldr: [],
  sections: [],
  weather: null,
  sources: [],
  notices: [],
  generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
  timings: { fetchMs: 0, totalMs: 0 },
  ...over,
});

describe('notices sorted for the reading view', () => {
  it('keeps what a person can act on, in plain words, and sends the technical rest to Status', () => {
    const sorted = sortNotices(
      brief({
        notices: [
          'Chroma is not available (GLIBC_2.38 not found); memory uses sqlite-vec.',
          'Weather is for Berlin, the default. Set "location" in settings.json for yours.',
          'No source could be reached. Check the network connection; `daily-brief sources` shows each error.',
        ],
        sources: [
          { id: 'rss', status: 'error', itemCount: 0, error: 'getaddrinfo ENOTFOUND example.com' },
          { id: 'weather', status: 'error', itemCount: 0, error: 'getaddrinfo ENOTFOUND example.com' },
        ] as Brief['sources'],
      }),
    );
    expect(sorted.actionable.map((n) => [n.id, n.action.target])).toEqual([
      ['nothing-fetched', 'status'],
      ['location', 'settings'],
    ]);
    const shown = sorted.actionable.map((n) => n.text).join(' ');
    expect(shown).not.toMatch(/settings\.json|Chroma|sqlite-vec|ENOTFOUND|--|`/);
    expect(sorted.technical).toEqual(['Chroma is not available (GLIBC_2.38 not found); memory uses sqlite-vec.']);
  });

  it('leaves the sample day’s notice to the banner the app shows over it', () => {
    const sorted = sortNotices(
      brief({ notices: ['This is a sample day. Run `daily-brief refresh` without --demo for your own brief.'] }),
    );
    expect(sorted).toEqual({ actionable: [], technical: [] });
  });
});

describe('times in words', () => {
  it('says a due date relative to the brief’s day, and passes a model’s own words through', () => {
    expect(dueWords('2026-12-03 15:00', '2026-12-03')).toBe('today 15:00');
    expect(dueWords('2026-12-04', '2026-12-03')).toBe('tomorrow');
    expect(dueWords('2026-12-09 17:00', '2026-12-07')).toBe('Wednesday 17:00');
    expect(dueWords('2026-12-24', '2026-12-03')).toBe('24 Dec');
    expect(dueWords('end of day Wednesday', '2026-12-03')).toBe('end of day Wednesday');
  });

  it('says how long ago or how soon', () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    expect(relativeTime('2026-12-03T08:00:00.000Z', now)).toBe('2 hr ago');
    expect(relativeTime('2026-12-03T13:00:00.000Z', now)).toBe('in 3 hr');
    expect(relativeTime('2026-12-03T09:55:00.000Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-12-02T09:00:00.000Z', now)).toBe('yesterday');
  });
});

describe('a settings field’s error next to its input', () => {
  it('turns each problem the settings check finds into an instruction, never the validator’s words', () => {
    const check = validateSettings({
      schedule: { everyMinutes: 1 },
      location: { name: '', latitude: 100, longitude: 0, timezone: 'Mars/Olympus' },
      sources: { weather: { units: 'kelvin' }, rss: { feeds: [{ url: 'nope' }] }, hackernews: { maxStories: 'ten' } },
    });
    if (check.ok) throw new Error('expected errors');
    const said = Object.fromEntries(check.errors.map((e) => [e.path, plainError(e.message)]));
    expect(said).toMatchObject({
      'schedule.everyMinutes': 'Choose at least 5.',
      'location.name': 'This cannot be empty.',
      'location.latitude': 'Choose at most 90.',
      'location.timezone': 'Choose a time zone such as Europe/Berlin.',
      'sources.weather.units': 'Choose one of the options.',
      'sources.rss.feeds[0].url': 'Enter a web address that starts with https:// or http://.',
      'sources.hackernews.maxStories': 'Enter a number.',
    });
    for (const text of Object.values(said)) expect(text).not.toMatch(/expected|>=|<=|invalid|too (small|big)|must/i);
  });

  it('names a setting the form has no field for as people say it, never by its key', () => {
    const check = validateSettings({
      location: { name: 'Berlin', latitude: 100, longitude: 0, timezone: 'Europe/Berlin' },
      sources: { weather: { units: 'kelvin' }, hackernews: { maxStories: 'ten' } },
      llm: { baseUrl: 'nope' },
    });
    if (check.ok) throw new Error('expected errors');
    const said = check.errors.map((e) => otherProblem(e.path, e.message));
    expect(said).toEqual(
      expect.arrayContaining([
        'Where you are: Choose at most 90.',
        'Weather: Choose one of the options.',
        'Hacker News: Enter a number.',
        'Model: Enter a web address that starts with https:// or http://.',
      ]),
    );
    expect(otherProblem('somethingNew.deep[2].key', 'is missing')).toBe('Another setting: Fill this in.');
    for (const text of said) expect(text).not.toMatch(/\w\.\w|\[|sources|llm|location\b/);
  });
});

describe('why the model list is missing', () => {
  it('says it in the form’s words, never a command, a settings key or an address', () => {
    const down = new AppError('llm_unreachable', 'Ollama is not reachable at http://127.0.0.1:11434', {
      hint: 'Start it with `ollama serve`, set llm.baseUrl, or set llm.provider to "none"',
    });
    expect(modelListProblem(down)).toBe(
      'The model server is not answering, so its models cannot be listed. Start it, or choose No model above.',
    );
    const odd = new AppError('llm_bad_server', 'x.example does not answer like Ollama', {
      hint: 'Check llm.baseUrl and llm.provider in settings',
    });
    expect(modelListProblem(odd)).toBe('That address does not answer like a model server.');
    for (const text of [modelListProblem(down), modelListProblem(odd), modelListProblem(new Error('boom'))]) {
      expect(text).not.toMatch(/`|llm\.|http|\d+\.\d+\.\d+/);
    }
  });
});
