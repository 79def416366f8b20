import './setup.ts';
// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rssFeed } from '../../test/fakes/feed-fixtures.ts';
import { startFeedServer, type FeedServer } from '../../test/fakes/feed-server.ts';
import { startServeFixture, type ServeFixture } from '../../test/helpers/serve-fixture.ts';
import { httpClient } from '../src/client/http.ts';
import { SettingsView } from '../src/settings/SettingsView.tsx';

const PODCAST = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>The Morning Cast</title><link>https://cast.example/</link><description>Ten minutes</description>
<itunes:author>Cast Ltd</itunes:author>
<item><title>Episode 1</title><guid>ep-1</guid><enclosure url="https://cast.example/1.mp3" length="1" type="audio/mpeg"/></item>
</channel></rss>`;

let feeds: FeedServer;
let fx: ServeFixture;
beforeAll(async () => {
  feeds = await startFeedServer({
    podcast: { body: PODCAST },
    dev: { body: rssFeed({ title: 'Dev Notes', description: 'Software and programming', items: [] }) },
    gone: { status: 404, body: 'no' },
    home: {
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><head><link rel="alternate" type="application/rss+xml" href="dev"></head><p>Hi</p>',
    },
  });
});
afterAll(async () => {
  await feeds.close();
});
afterEach(async () => {
  cleanup();
  await fx.close();
});

async function settings() {
  fx = await startServeFixture();
  render(
    <SettingsView client={httpClient({ baseUrl: fx.baseUrl, token: fx.server.token })} onSaved={() => undefined} />,
  );
  const user = userEvent.setup();
  const url = await screen.findByLabelText('Feed or website address');
  const add = async (address: string, section?: string) => {
    await user.clear(url);
    await user.type(url, address);
    if (section) await user.selectOptions(screen.getByLabelText('Section'), section);
    await user.click(screen.getByRole('button', { name: 'Add feed' }));
  };
  const news = () => screen.getByRole('group', { name: 'News' });
  const list = () => within(news()).getByRole('list', { name: 'Your feeds' });
  const saved = async () => {
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    const file = JSON.parse(readFileSync(join(fx.dataDir, 'settings.json'), 'utf8')) as {
      sources: { rss: { feeds: { url: string; name?: string; category?: string }[] } };
    };
    return file.sources.rss.feeds;
  };
  return { user, url, add, news, list, saved };
}

describe('adding a feed', () => {
  it('reads its title and kind from the feed, and puts it in the section its words suggest', async () => {
    const { add, news, list, saved } = await settings();
    expect(screen.getByLabelText<HTMLSelectElement>('Section').value).toBe('');
    await add(feeds.url('podcast'));
    expect((await within(news()).findByRole('status')).textContent).toBe(
      'Added “The Morning Cast”, a podcast, to Other news.',
    );
    const row = within(list()).getByText('The Morning Cast').closest('li') as HTMLElement;
    expect(row.textContent).toContain('Other news');
    expect(within(row).getByRole('button', { name: 'Remove feed The Morning Cast' })).toBeTruthy();
    await add(feeds.url('dev'));
    expect(await within(list()).findByText('Dev Notes')).toBeTruthy();
    expect((await saved()).slice(-2)).toEqual([
      { url: feeds.url('podcast'), name: 'The Morning Cast', category: 'news' },
      { url: feeds.url('dev'), name: 'Dev Notes', category: 'tech' },
    ]);
  });

  it('takes a website for the feed it names', async () => {
    const { add, list, saved } = await settings();
    await add(feeds.url('home'));
    expect(await within(list()).findByText('Dev Notes')).toBeTruthy();
    expect((await saved()).at(-1)).toEqual({ url: feeds.url('dev'), name: 'Dev Notes', category: 'tech' });
  });

  it('keeps the section the person chose over the one the feed suggests', async () => {
    const { add, list, saved } = await settings();
    await add(feeds.url('dev'), 'market');
    const row = (await within(list()).findByText('Dev Notes')).closest('li') as HTMLElement;
    expect(row.textContent).toContain('Markets');
    expect((await saved()).at(-1)).toEqual({ url: feeds.url('dev'), name: 'Dev Notes', category: 'market' });
  });

  it('says in one sentence when the feed cannot be read, and adds it with its address if asked', async () => {
    const { add, news, list, saved } = await settings();
    const before = within(list()).getAllByRole('listitem').length;
    await add(feeds.url('gone'));
    const problem = await within(news()).findByRole('alert');
    expect(problem.textContent).toBe(
      'The site answered with an error instead of a feed. You can still add it with its address.',
    );
    expect(within(list()).getAllByRole('listitem')).toHaveLength(before);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add it anyway' }));
    expect(await within(list()).findByText(feeds.url('gone'))).toBeTruthy();
    expect(within(news()).queryByRole('alert')).toBeNull();
    expect((await saved()).at(-1)).toEqual({ url: feeds.url('gone'), category: 'news' });
  });

  it('takes an address without https://, and still refuses what is not one', async () => {
    const { add, url, news } = await settings();
    await add('not a url');
    expect(await screen.findByText('Enter a web address that starts with https:// or http://.')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBe('true');
    // The local server speaks plain HTTP, so the https:// put in front cannot reach it: that says it was put there.
    const bare = feeds.url('dev').replace(/^http:\/\//, '');
    await add(bare);
    expect((await within(news()).findByRole('alert')).textContent).toMatch(/^Nothing answered at that address\./);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add it anyway' }));
    expect(await screen.findByText(`https://${bare}`)).toBeTruthy();
  });
});
