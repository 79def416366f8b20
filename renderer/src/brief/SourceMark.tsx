/**
 * A letter on a tinted circle, the hue taken from the source's name: every feed gets a stable mark without
 * the page ever loading an icon from a third-party site.
 */
export function SourceMark({ name }: { name: string }) {
  const letter = /\p{L}|\p{N}/u.exec(name)?.[0]?.toUpperCase() ?? '·';
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return (
    <span className="mark" style={{ '--hue': hash }} aria-hidden="true">
      {letter}
    </span>
  );
}
