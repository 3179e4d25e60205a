import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** Problem codes that have a translated explanation (used when the interface is not in English). */
const KNOWN_CODES = [
  'invalid_credentials',
  'too_many_requests',
  'unauthenticated',
  'forbidden',
  'not_found',
  'csrf_failed',
  'validation_failed',
  'invalid_mfa_code',
  'mfa_challenge_expired',
  'mfa_enrollment_required',
  'mfa_already_enabled',
  'mfa_not_started',
  'invalid_password',
  'reset_link_invalid',
  'invitation_invalid',
  'invitation_not_pending',
  'email_taken',
  'cannot_disable_self',
  'registration_taken',
  'version_conflict',
  'asset_exists',
  'import_has_errors',
  'import_committed',
  'already_decided',
  'designation_after_date',
  'file_too_large',
  'unsupported_file_type',
  'answer_conflict',
  'assessment_locked',
  'assessment_incomplete',
  'campaign_closed',
  'not_submitted',
  'stale_version',
  'wrong_audit_stage',
  'plan_approved',
  'action_verified',
  'finding_closed',
  'duplicate_licence',
  'duplicate_auditor',
  'wrong_case_stage',
  'appeal_window_closed',
  'appeal_window_open',
  'no_decision',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];
const isKnown = (code: string): code is KnownCode => (KNOWN_CODES as readonly string[]).includes(code);

export interface ErrorText {
  /** What to show the person, in their language where possible. */
  message: string;
  /** The server's own wording (English) when `message` is a translation of it. */
  serverDetail: string | null;
}

/**
 * The message for a failed call. The server's problem `detail` is precise (it says how long an
 * account stays locked, which field is wrong); it is in English, so other languages show a
 * translation of the problem code first and the server's wording beneath it.
 */
export function describeError(error: unknown, t: TFunction, language: string): ErrorText {
  if (error instanceof ApiError) {
    if (error.status === 0) return { message: t('errors.network'), serverDetail: null };
    if (language !== 'en' && isKnown(error.code)) {
      return { message: t(`problems.${error.code}`), serverDetail: error.detail };
    }
    if (error.detail) return { message: error.detail, serverDetail: null };
    if (isKnown(error.code)) return { message: t(`problems.${error.code}`), serverDetail: null };
    return { message: t('errors.status', { status: error.status }), serverDetail: null };
  }
  return { message: t('errors.unexpected'), serverDetail: null };
}

/** The single-line form, for notifications. */
export function errorLine(error: unknown, t: TFunction, language: string): string {
  const { message, serverDetail } = describeError(error, t, language);
  return serverDetail && serverDetail !== message ? `${message} (${serverDetail})` : message;
}
