import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { languageOf } from './index';

export interface Formatters {
  locale: string;
  number: (n: number) => string;
  percent: (fraction: number) => string;
  /** An amount of money in whole units of `currency` (Pakistani rupees by default). */
  money: (amount: number, currency?: string) => string;
  year: (y: number) => string;
  /** "a, b and c" in the language's own way. */
  list: (items: string[]) => string;
  /** A calendar date given as YYYY-MM-DD, without any time-zone shift. */
  date: (isoDate: string, style?: 'long' | 'full') => string;
  /** An instant, in the jurisdiction's time zone when given. */
  dateTime: (iso: string, timeZone?: string) => string;
}

/** Number and date formatting for the current interface language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const locale = languageOf(i18n.language).locale;
  return useMemo(() => {
    const num = new Intl.NumberFormat(locale);
    const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const yr = new Intl.NumberFormat(locale, { useGrouping: false });
    const lst = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
    const longDate = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    const fullDate = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' });
    return {
      locale,
      number: (n) => num.format(n),
      percent: (f) => pct.format(f),
      money: (amount, currency = 'PKR') =>
        new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
          amount,
        ),
      year: (y) => yr.format(y),
      list: (items) => lst.format(items),
      date: (isoDate, style = 'long') => {
        const [y, m, d] = isoDate.split('-').map(Number);
        if (!y || !m || !d) return isoDate;
        return (style === 'full' ? fullDate : longDate).format(new Date(Date.UTC(y, m - 1, d)));
      },
      dateTime: (iso, timeZone) => {
        const at = new Date(iso);
        if (Number.isNaN(at.getTime())) return iso;
        return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
          at,
        );
      },
    };
  }, [locale]);
}

/** A file's size as people say it: "340 KB", "2.4 MB". */
export function useFileSize(): (bytes: number) => string {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (bytes) =>
    bytes >= 1024 * 1024
      ? t('evidence.mb', { n: fmt.number(Math.round((bytes / 1024 / 1024) * 10) / 10) })
      : t('evidence.kb', { n: fmt.number(Math.max(1, Math.round(bytes / 1024))) });
}
