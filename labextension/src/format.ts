// Ages and durations in words short enough for a panel row ("3 min", "1 h 5 min").
import type { TranslationBundle } from '@jupyterlab/translation';

/** "12 s", "4 min", "2 h 5 min", "3 d". */
export function shortDuration(ms: number, trans: TranslationBundle): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return trans.__('%1 s', s);
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return trans.__('%1 min', m);
  }
  const h = Math.floor(m / 60);
  if (h < 24) {
    return m % 60 ? trans.__('%1 h %2 min', h, m % 60) : trans.__('%1 h', h);
  }
  return trans.__('%1 d', Math.floor(h / 24));
}

/** How long ago a time was. */
export function age(iso: string, now: number, trans: TranslationBundle): string {
  return trans.__('%1 ago', shortDuration(now - Date.parse(iso), trans));
}

/** From submission to the last change (or to now while the job is unfinished). */
export function duration(
  createdAt: string,
  updatedAt: string,
  finished: boolean,
  now: number,
  trans: TranslationBundle
): string {
  const end = finished ? Date.parse(updatedAt) : now;
  return shortDuration(end - Date.parse(createdAt), trans);
}

/** Bytes as "812 B", "14.2 KB", "3.1 MB". */
export function bytes(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KB`;
  }
  return `${(n / 1048576).toFixed(1)} MB`;
}
