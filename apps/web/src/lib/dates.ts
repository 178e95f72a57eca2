import { parseDateText, toWareki } from '@karte/domain';

/** Under a typed date: the date as read (in 和暦), or how it may be written. */
export function dateHint(text: string | undefined, blank: string): string {
  const iso = parseDateText(text ?? '');
  return iso ? toWareki(iso) : blank;
}
