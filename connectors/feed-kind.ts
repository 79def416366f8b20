import type { AnyFeed } from 'feedsmith';
import type { FeedKind, FeedSection } from '../core/types.ts';

/** What a feed says about itself, the same for the four formats. */
interface Signals {
  /** Its title, description and categories (the channel's, the podcast directory's, its first entries'). */
  texts: string[];
  generator: string;
  entries: number;
  /** Entries that carry audio or video. */
  media: number;
  /** Apple's or the Podcasting 2.0 tags on the channel. */
  podcastTags: boolean;
}

/** Entries whose categories are read: enough to see what a feed is about, not a whole archive. */
const ENTRIES_READ = 30;

const MEDIA = /^(audio|video)\//i;
/** Hosts whose feeds are Hacker News (the site's own, and hnrss.org). */
const HACKER_NEWS = /(^|\.)(news\.ycombinator\.com|hnrss\.org)$/i;
/** Hosts and engines of blogs: a post by a person, not a newsroom's wire. */
const BLOG_HOST =
  /(^|\.)(blogspot\.com|substack\.com|medium\.com|wordpress\.com|bearblog\.dev|tumblr\.com|ghost\.io|hashnode\.dev|micro\.blog|write\.as)$|^blog\./i;
const BLOG_ENGINE =
  /\b(blogger|ghost|hugo|jekyll|eleventy|substack|medium|bear ?blog|micro\.blog|write\.as|hashnode|tumblr|pelican|hexo|zola)\b/i;

const MARKET_WORDS =
  /\b(markets?|finance|financial|business|econom(y|ic|ics)|stocks?|invest(ing|ors?|ment)?|money|trading|wall street|earnings)\b/i;
const TECH_WORDS =
  /\b(tech|technology|software|programming|developers?|engineering|comput(er|ers|ing)|gadgets?|open source|linux|hackers?|startups?|javascript|python|rust|ai|web development)\b/i;

/**
 * What kind of feed it is and which section of the brief its stories belong in, from what the feed says:
 * audio or video on most entries (or podcast tags) make a podcast; a blog host or engine a blog. The section
 * is Tech or Markets when the feed's words lean that way, else the general news.
 */
export function describeFeed(parsed: AnyFeed, url: string): { kind: FeedKind; category: FeedSection } {
  const signals = signalsOf(parsed);
  const { host, pathname } = new URL(url);
  if (HACKER_NEWS.test(host)) return { kind: 'news', category: 'tech' };
  const podcast = signals.podcastTags || (signals.media > 0 && signals.media * 2 >= signals.entries);
  const blog = BLOG_HOST.test(host) || /\/blog(\/|$)/i.test(pathname) || BLOG_ENGINE.test(signals.generator);
  const kind: FeedKind = podcast ? 'podcast' : blog ? 'blog' : 'news';
  const market = signals.texts.filter((text) => MARKET_WORDS.test(text)).length;
  const tech = signals.texts.filter((text) => TECH_WORDS.test(text)).length;
  const category: FeedSection = tech > market ? 'tech' : market > tech ? 'market' : 'news';
  return { kind, category };
}

function signalsOf(parsed: AnyFeed): Signals {
  switch (parsed.format) {
    case 'rss': {
      const { feed } = parsed;
      const items = feed.items ?? [];
      return {
        texts: words(
          feed.title,
          feed.description,
          ...(feed.categories ?? []).map((c) => c.name),
          ...itunesCategories(feed.itunes?.categories),
          ...items.slice(0, ENTRIES_READ).flatMap((i) => (i.categories ?? []).map((c) => c.name)),
        ),
        generator: feed.generator ?? '',
        entries: items.length,
        media: items.filter((i) => i.enclosures?.some((e) => MEDIA.test(e.type ?? ''))).length,
        podcastTags: feed.itunes !== undefined || feed.podcast !== undefined,
      };
    }
    case 'atom': {
      const { feed } = parsed;
      const entries = feed.entries ?? [];
      const label = (c: { term?: string; label?: string }) => c.label ?? c.term;
      return {
        texts: words(
          feed.title?.value,
          feed.subtitle?.value,
          ...(feed.categories ?? []).map(label),
          ...entries.slice(0, ENTRIES_READ).flatMap((e) => (e.categories ?? []).map(label)),
        ),
        generator: feed.generator?.text ?? '',
        entries: entries.length,
        media: entries.filter((e) =>
          e.links?.some((l) => l.rel?.toLowerCase() === 'enclosure' && MEDIA.test(l.type ?? '')),
        ).length,
        podcastTags: false,
      };
    }
    case 'rdf': {
      const { feed } = parsed;
      const items = feed.items ?? [];
      return {
        texts: words(feed.title, feed.description, ...items.slice(0, ENTRIES_READ).flatMap((i) => i.dc?.subjects)),
        generator: '',
        entries: items.length,
        media: 0,
        podcastTags: false,
      };
    }
    case 'json': {
      const { feed } = parsed;
      const items = feed.items ?? [];
      return {
        texts: words(feed.title, feed.description, ...items.slice(0, ENTRIES_READ).flatMap((i) => i.tags)),
        generator: '',
        entries: items.length,
        media: items.filter((i) => i.attachments?.some((a) => MEDIA.test(a.mime_type ?? ''))).length,
        podcastTags: false,
      };
    }
  }
}

function itunesCategories(categories: { text?: string; categories?: { text?: string }[] }[] | undefined): string[] {
  return (categories ?? []).flatMap((c) => [c.text ?? '', ...(c.categories ?? []).map((sub) => sub.text ?? '')]);
}

function words(...texts: (string | undefined)[]): string[] {
  return texts.filter((text): text is string => Boolean(text?.trim()));
}
