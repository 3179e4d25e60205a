import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A wide table, for cells without links or buttons, that scrolls sideways on a small screen. The
 * scrolling box takes the keyboard's focus (arrow keys scroll it) and is named after the table.
 */
export function ScrollRegion({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label: string;
  children: ReactNode;
}) {
  return (
    // Native scrolling, positioned so visually hidden (absolute) text is clipped with the table.
    <Table.ScrollContainer
      minWidth={minWidth}
      type="native"
      pos="relative"
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      {children}
    </Table.ScrollContainer>
  );
}
