import type { TFunction } from 'i18next';
import { ApiError, fieldOf } from '../api/client';

/** The server's policy (platform/auth/password-policy.ts): length first, then known and personal words. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function newPasswordProblem(value: string, t: TFunction): string | null {
  if (!value) return t('password.required');
  if (value.length < MIN_PASSWORD_LENGTH) return t('password.tooShort', { count: MIN_PASSWORD_LENGTH });
  if (value.length > MAX_PASSWORD_LENGTH) return t('password.tooLong', { count: MAX_PASSWORD_LENGTH });
  return null;
}

export function confirmProblem(value: string, password: string, t: TFunction): string | null {
  if (!value) return t('password.confirmRequired');
  return value === password ? null : t('password.mismatch');
}

// The policy's refusals, recognised so they can be shown in the interface language.
const POLICY_MESSAGES = [
  [/^Use at least/, 'password.tooShortServer'],
  [/most commonly used/, 'password.common'],
  [/repetition or a simple sequence/, 'password.sequence'],
  [/name or email address/, 'password.personal'],
] as const;

/**
 * The server's complaint about a new password (too common, contains the name), when it made one:
 * a policy refusal points at body.password. English keeps the server's own words.
 */
export function passwordComplaint(error: unknown, t: TFunction, language: string): string | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const e = error.errors.find((x) => fieldOf(x.path) === 'password' || fieldOf(x.path) === 'newPassword');
  if (!e) return null;
  const message = e.message || error.detail || '';
  if (language !== 'en') {
    const known = POLICY_MESSAGES.find(([re]) => re.test(message));
    if (known) return t(known[1], { count: MIN_PASSWORD_LENGTH });
  }
  return message;
}
