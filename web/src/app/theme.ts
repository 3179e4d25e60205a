import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

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

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  colors: { qila },
  primaryColor: 'qila',
  primaryShade: 7,
  fontFamily: FONT,
  headings: { fontFamily: FONT, fontWeight: '700' },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    Badge: { defaultProps: { radius: 'sm' } },
    Paper: { defaultProps: { withBorder: true, radius: 'md' } },
    Table: { defaultProps: { verticalSpacing: 'xs' } },
  },
});

/** Secondary ("dimmed") text one shade darker than Mantine's default, for WCAG AA contrast on grey. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] },
  dark: {},
});
