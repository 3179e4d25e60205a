import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type en from './en.json';
import type ur from './ur.json';

export type Messages = typeof en;
export type Direction = 'ltr' | 'rtl';

export interface Language {
  /** BCP 47 code; the messages live in `<code>.json` beside this file. */
  code: string;
  /** The language's name in itself, as shown in the language switch. */
  label: string;
  dir: Direction;
  /** Locale for numbers and dates. */
  locale: string;
}

/**
 * The languages Qila speaks. To add one, put `<code>.json` (a translation of en.json) beside
 * this file and add one line here.
 */
export const LANGUAGES: readonly Language[] = [
  { code: 'en', label: 'English', dir: 'ltr', locale: 'en-PK' },
  { code: 'ur', label: 'اردو', dir: 'rtl', locale: 'ur-PK' },
];

// Compile-time check that the Urdu file translates every English key.
type Translates<T extends Messages> = T;
export type _UrduIsComplete = Translates<typeof ur>;

const FALLBACK = 'en';
const STORAGE_KEY = 'qila.language';

const files = import.meta.glob<Messages>('./*.json', { eager: true, import: 'default' });
const resources = Object.fromEntries(
  LANGUAGES.map((l) => [l.code, { translation: files[`./${l.code}.json`] ?? {} }]),
);

export function languageOf(code: string): Language {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES.find((l) => l.code === FALLBACK)!;
}

function storedLanguage(): string | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && LANGUAGES.some((l) => l.code === v) ? v : null;
  } catch {
    return null;
  }
}

/** True when the user picked a language on this device (so a profile default must not override it). */
export function hasChosenLanguage(): boolean {
  return storedLanguage() !== null;
}

function browserLanguage(): string | null {
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base && LANGUAGES.some((l) => l.code === base)) return base;
  }
  return null;
}

function applyToDocument(code: string): void {
  const lang = languageOf(code);
  document.documentElement.lang = lang.code;
  document.documentElement.dir = lang.dir;
}

const initial = storedLanguage() ?? browserLanguage() ?? FALLBACK;

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: FALLBACK,
  supportedLngs: LANGUAGES.map((l) => l.code),
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

applyToDocument(initial);
i18n.on('languageChanged', applyToDocument);

/** Switches the interface language; `remember` keeps the choice on this device. */
export function setLanguage(code: string, remember = true): void {
  if (!LANGUAGES.some((l) => l.code === code)) return;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, code);
    } catch {
      // Private mode or storage disabled: the choice lasts for this page only.
    }
  }
  void i18n.changeLanguage(code);
}

export default i18n;
