import {
  DEFAULT_THEME,
  colorsTuple,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  luminance,
  parseThemeColor,
  toRgba,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type VariantColorResolverResult,
  type VariantColorsResolver,
} from '@mantine/core';
import i18n from '../i18n';

// A deep, calm green (the national colour) with enough contrast for white text from shade 6 up.
const qila: MantineColorsTuple = [
  '#e9f6ef',
  '#d3ebdd',
  '#a6d5bb',
  '#76be97',
  '#4fab79',
  '#369e66',
  '#22864f',
  '#16723f',
  '#0d5f34',
  '#064a28',
];

// Red text in shades 8 and 9 (overdue, errors) and orange in shade 9 (conflicts) fall short of
// WCAG AA on the grey page: those shades are deepened.
const red = colorsTuple([...DEFAULT_THEME.colors.red.slice(0, 8), '#c92a2a', '#a61e1e']);
const orange = colorsTuple([...DEFAULT_THEME.colors.orange.slice(0, 9), '#c2410c']);

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

// WCAG AA for normal text; badges are small, so they never count as large text.
const AA = 4.5;
const WHITE = '#ffffff';
const BLACK = '#000000';
// The darkest background coloured text sits on: a striped or hovered row on the grey page.
const PAGE = '#f1f3f5';

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` laid over `under` at `alpha`: what a light variant's tinted background looks like. */
function tint(color: string, alpha: number, under: string): string {
  const c = toRgba(color);
  const u = toRgba(under);
  const mix = (a: number, b: number) => Math.round(a * alpha + b * (1 - alpha));
  return `rgb(${mix(c.r, u.r)}, ${mix(c.g, u.g)}, ${mix(c.b, u.b)})`;
}

/** The colour, darkened just enough to read against `bg`. */
function readableOn(color: string, bg: string): string {
  for (let step = 0; step <= 1; step += 0.04) {
    const c = darken(color, step);
    if (contrast(c, bg) >= AA) return c;
  }
  return BLACK;
}

const cache = new Map<string, VariantColorResolverResult>();

/**
 * Mantine's colours, made to pass WCAG AA: its light and outline variants write text in shade 6
 * (orange, teal, yellow... fail on their own tint) and its filled variant puts white on any shade.
 * Text is darkened just enough; a filled background too dark for black is darkened for white.
 */
const accessibleVariantColors: VariantColorsResolver = (input) => {
  const result = defaultVariantColorsResolver(input);
  const { color, theme, variant } = input;
  if (!color || !variant) return result;
  const parsed = parseThemeColor({ color, theme, colorScheme: 'light' });
  if (!parsed.isThemeColor) return result;
  const autoContrast = input.autoContrast ?? theme.autoContrast;
  const key = `${variant}|${color}|${autoContrast}`;
  const known = cache.get(key);
  if (known) return known;

  const value = parsed.value;
  let fixed = result;
  if (variant === 'filled') {
    if (autoContrast && contrast(BLACK, value) >= contrast(WHITE, value)) {
      fixed = { ...result, color: BLACK };
    } else if (contrast(WHITE, value) < AA) {
      const bg = readableOn(value, WHITE);
      fixed = { ...result, color: WHITE, background: bg, hover: darken(bg, 0.1) };
    }
  } else if (variant === 'light') {
    fixed = { ...result, color: readableOn(value, tint(value, 0.12, PAGE)) };
  } else if (variant === 'outline' || variant === 'subtle' || variant === 'transparent') {
    fixed = { ...result, color: readableOn(value, PAGE) };
  } else if (variant === 'white') {
    fixed = { ...result, color: readableOn(value, WHITE) };
  }
  cache.set(key, fixed);
  return fixed;
};

export const theme = createTheme({
  colors: { qila, red, orange },
  primaryColor: 'qila',
  primaryShade: 7,
  fontFamily: FONT,
  headings: { fontFamily: FONT, fontWeight: '700' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  variantColorResolver: accessibleVariantColors,
  components: {
    Badge: { defaultProps: { radius: 'sm' } },
    // The placeholder is a bare focusable <div> inside role="menu", which only menu items may be.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
    // Icon-only close buttons need a name; a function, so it follows the language chosen.
    Modal: { defaultProps: () => ({ closeButtonProps: { 'aria-label': i18n.t('common.close') } }) },
    Notification: { defaultProps: () => ({ closeButtonProps: { 'aria-label': i18n.t('common.close') } }) },
    Paper: { defaultProps: { withBorder: true, radius: 'md' } },
    Table: { defaultProps: { verticalSpacing: 'xs' } },
  },
});

/**
 * Secondary ("dimmed") text one shade darker than Mantine's default, and error messages in the
 * deepened red rather than red 6, for WCAG AA contrast on grey.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});
