import { hashPassword } from '../../src/platform/auth/passwords.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { ROLE_SCOPE } from '../../src/platform/auth/roles.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { TEST_PASSWORD } from '../harness.ts';

/** The callers the authorization walk tries on every route. */
export const WHO = [
  'anonymous',
  'authority_admin',
  'authority_analyst',
  'cert_analyst',
  'sector_regulator',
  'provincial_officer',
  'entity_admin',
  'entity_member',
  'auditor',
  'observer',
  'other_sector_regulator',
  'other_province_officer',
  'other_entity_admin',
] as const;
export type Who = (typeof WHO)[number];

export interface Scopes {
  entityA: string;
  entityB: string;
  sectorA: string;
  sectorB: string;
  unitA: string;
  unitB: string;
}

export interface Agent {
  who: Who;
  userId: string;
  email: string;
  sessionPrefix: string;
  headers(write?: boolean): Record<string, string>;
}

let passwordHash: Promise<string> | undefined;

function roleFor(who: Exclude<Who, 'anonymous'>, s: Scopes): { role: Role; scope: string | null } {
  switch (who) {
    case 'sector_regulator':
      return { role: 'sector_regulator', scope: s.sectorA };
    case 'other_sector_regulator':
      return { role: 'sector_regulator', scope: s.sectorB };
    case 'provincial_officer':
      return { role: 'provincial_officer', scope: s.unitA };
    case 'other_province_officer':
      return { role: 'provincial_officer', scope: s.unitB };
    case 'entity_admin':
      return { role: 'entity_admin', scope: s.entityA };
    case 'entity_member':
      return { role: 'entity_member', scope: s.entityA };
    case 'other_entity_admin':
      return { role: 'entity_admin', scope: s.entityB };
    case 'auditor':
      return { role: 'auditor', scope: 'audit-under-test' };
    default:
      return { role: who, scope: null };
  }
}

/**
 * A brand-new user with the caller's role and a session of its own, written straight to the
 * database (no password hashing per user), so every request of the walk starts from clean state.
 */
export async function makeAgent(p: Platform, who: Exclude<Who, 'anonymous'>, s: Scopes): Promise<Agent> {
  const { role, scope } = roleFor(who, s);
  const id = newId();
  const email = `${who.replace(/_/g, '.')}.${id.slice(-8)}@walk.test`;
  const now = p.clock.now().toISOString();
  const hash = await (passwordHash ??= hashPassword(TEST_PASSWORD));
  const session = await p.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('users')
      .values({ id, email, display_name: who, password_hash: hash, created_at: now, updated_at: now })
      .execute();
    await trx
      .insertInto('role_assignments')
      .values({
        id: newId(),
        user_id: id,
        role,
        scope_kind: ROLE_SCOPE[role],
        scope_value: scope,
        created_at: now,
      })
      .execute();
    return p.sessions.create(trx, id, { ip: null, userAgent: 'walk' });
  });
  const cookie = `qila_session=${session.token}`;
  return {
    who,
    userId: id,
    email,
    sessionPrefix: session.sessionId.slice(0, 16),
    headers: (write = false) => ({ cookie, ...(write ? { 'x-csrf-token': session.csrfToken } : {}) }),
  };
}

/**
 * Two tenants to test isolation between: a telecom entity A, and an entity B of another sector
 * and another administrative unit.
 */
export async function twoTenants(p: Platform): Promise<Scopes> {
  const entities = await p.db
    .selectFrom('entities')
    .select(['id', 'sector', 'admin_unit'])
    .orderBy('id')
    .execute();
  const a = entities.find((e) => e.sector === 'telecom')!;
  const b = entities.find((e) => e.sector !== a.sector && e.admin_unit !== a.admin_unit)!;
  return {
    entityA: a.id,
    entityB: b.id,
    sectorA: a.sector,
    sectorB: b.sector,
    unitA: a.admin_unit,
    unitB: b.admin_unit,
  };
}
