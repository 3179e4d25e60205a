import { Badge, type BadgeProps } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export type BadgeSize = BadgeProps['size'];

interface Props<T extends string> {
  /** The code as the server sent it. */
  value: string;
  /** Whether this interface knows the code; an unknown one shows as it is, in grey. */
  known: (v: string) => v is T;
  color: Record<T, string>;
  /** The code in the interface language. */
  label: (v: T) => string;
  variant?: (v: T) => BadgeProps['variant'];
  size?: BadgeSize;
  /** Marks for tests and styles: data-testid, and the code under `data-<attribute>`. */
  testId?: string;
  attribute?: string;
}

/** A status-like code as a coloured badge: the word carries the meaning, the colour repeats it. */
export function CodeBadge<T extends string>({
  value,
  known,
  color,
  label,
  variant = () => 'light',
  size = 'sm',
  testId,
  attribute = 'status',
}: Props<T>) {
  const marks = testId ? { 'data-testid': testId, [`data-${attribute}`]: value } : {};
  if (!known(value)) return <UnknownCode value={value} size={size} {...marks} />;
  return (
    // autoContrast keeps the text readable on light filled colours (yellow, orange).
    <Badge
      color={color[value]}
      variant={variant(value)}
      autoContrast
      size={size}
      className="qila-badge-fit"
      {...marks}
    >
      {label(value)}
    </Badge>
  );
}

/** A code this interface does not know (a newer server, a new catalog entry): shown as it is, in grey. */
export function UnknownCode({ value, size, ...marks }: { value: string; size?: BadgeSize }) {
  return (
    <Badge color="gray.7" variant="outline" size={size} className="qila-badge-fit" {...marks}>
      {value}
    </Badge>
  );
}

/** Something past its deadline, in red with a clock. */
export function DeadlineBadge({
  children,
  variant = 'filled',
  size = 'sm',
}: {
  children: ReactNode;
  variant?: BadgeProps['variant'];
  size?: BadgeSize;
}) {
  return (
    <Badge
      color="red.8"
      variant={variant}
      size={size}
      className="qila-badge-fit"
      leftSection={<IconClockExclamation size={12} aria-hidden />}
    >
      {children}
    </Badge>
  );
}
