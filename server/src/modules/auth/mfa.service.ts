import { randomBytes } from 'node:crypto';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import { requireSignedIn } from '../../platform/access/permissions.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from '../../platform/auth/totp.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError, ConflictError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { hashRecoveryCode } from './auth.service.ts';

const RECOVERY_CODES = 10;
const newRecoveryCode = () => {
  const raw = randomBytes(5).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
};

/** TOTP enrolment: a secret is proposed, and only switched on once the user proves their app has it. */
export function createMfaService(p: Platform) {
  async function user(id: string) {
    return p.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  return {
    async enroll(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
      const actor = requireSignedIn(ctx);
      const u = await user(actor.userId!);
      if (u.totp_enabled_at)
        throw new ConflictError(
          'mfa_already_enabled',
          'Two-factor authentication is already on; turn it off first to change devices.',
        );
      const secret = newTotpSecret();
      await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_secret_enc: p.secrets.seal(secret), totp_last_step: null })
          .where('id', '=', u.id)
          .execute();
        await p.audit(trx, ctx, { action: 'mfa.enrollment_started', objectType: 'user', objectId: u.id });
      });
      return { secret, otpauthUri: otpauthUri(secret, u.email, 'Qila') };
    },

    async confirm(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
      const actor = requireSignedIn(ctx);
      const u = await user(actor.userId!);
      if (u.totp_enabled_at)
        throw new ConflictError('mfa_already_enabled', 'Two-factor authentication is already on.');
      if (!u.totp_secret_enc) throw new ConflictError('mfa_not_started', 'Start the set-up first.');
      const now = p.clock.now();
      const step = verifyTotp(p.secrets.open(u.totp_secret_enc), code, now);
      if (step === null)
        throw new AppError(
          400,
          'invalid_mfa_code',
          'The code does not match; check the time on your phone and try the next code.',
        );
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_enabled_at: now.toISOString(), totp_last_step: step })
          .where('id', '=', u.id)
          .execute();
        await trx.deleteFrom('recovery_codes').where('user_id', '=', u.id).execute();
        await trx
          .insertInto('recovery_codes')
          .values(codes.map((c) => ({ id: newId(), user_id: u.id, code_hash: hashRecoveryCode(c) })))
          .execute();
        await p.audit(trx, ctx, { action: 'mfa.enabled', objectType: 'user', objectId: u.id });
      });
      return { recoveryCodes: codes };
    },

    /** Turning TOTP off needs the password, so a borrowed unlocked session cannot do it. */
    async disable(ctx: RequestContext, password: string): Promise<void> {
      const actor = requireSignedIn(ctx);
      const u = await user(actor.userId!);
      if (!(await verifyPassword(u.password_hash, password)))
        throw new AppError(400, 'invalid_password', 'The password is not right.');
      await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ totp_enabled_at: null, totp_secret_enc: null, totp_last_step: null })
          .where('id', '=', u.id)
          .execute();
        await trx.deleteFrom('recovery_codes').where('user_id', '=', u.id).execute();
        await p.audit(trx, ctx, { action: 'mfa.disabled', objectType: 'user', objectId: u.id });
      });
    },
  };
}
