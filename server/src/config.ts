import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Raised for any problem an operator must fix before Qila can start; the message is one sentence. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const boolish = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  QILA_HOST: z.string().min(1).default('127.0.0.1'),
  QILA_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  QILA_DATA_DIR: z.string().min(1).default('./data'),
  QILA_DATABASE_URL: z.string().optional(),
  QILA_SECRET_KEY: z.string().optional(),
  QILA_DEMO: boolish.optional(),
  QILA_PUBLIC_URL: z.url().optional(),
  QILA_SMTP_URL: z.string().optional(),
  QILA_MAIL_FROM: z.string().default('Qila <no-reply@qila.localhost>'),
  QILA_JURISDICTION: z
    .string()
    .regex(/^[a-z]{2,8}$/, 'must be a lower-case jurisdiction code such as pk')
    .default('pk'),
  QILA_CATALOG_DIR: z.string().optional(),
  QILA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QILA_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(1024).default(25),
  QILA_JOBS: boolish.default(true),
  QILA_SUPERVISION_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  QILA_TRUST_PROXY: boolish.default(false),
  QILA_MFA: z.enum(['required', 'optional']).optional(),
  QILA_OIDC_ISSUER: z.url().optional(),
  QILA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  QILA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  QILA_OIDC_LABEL: z.string().min(1).max(80).default('Sign in with government ID'),
  QILA_OIDC_SCOPES: z.string().default('openid email profile'),
});

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseTarget;
  secretKey: string;
  demo: boolean;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  jurisdiction: string;
  catalogDir: string;
  logLevel: string;
  maxUploadBytes: number;
  runJobs: boolean;
  /** How often overdue corrective actions are flagged and every entity's compliance recomputed. */
  supervisionSweepMs: number;
  trustProxy: boolean;
  /** required: Authority and CERT roles must use TOTP (the default in production). */
  mfa: 'required' | 'optional';
  /** Single sign-on through a (government) OpenID Connect provider, when configured. */
  oidc: { issuer: string; clientId: string; clientSecret: string; label: string; scopes: string } | null;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export function parseDatabaseUrl(raw: string | undefined, dataDir: string): DatabaseTarget {
  if (!raw) return { dialect: 'sqlite', file: path.join(dataDir, 'qila.sqlite') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      const u = new URL(raw);
      if (!u.hostname) throw new Error('no host');
    } catch {
      throw new ConfigError(
        `QILA_DATABASE_URL "${redactUrl(raw)}" is not a valid PostgreSQL URL; use postgres://user:password@host:5432/database.`,
      );
    }
    return { dialect: 'postgres', url: raw };
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file)
      throw new ConfigError(
        'QILA_DATABASE_URL "sqlite:" needs a file path, for example sqlite:./data/qila.sqlite.',
      );
    return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  throw new ConfigError(
    `QILA_DATABASE_URL "${redactUrl(raw)}" is not understood; use postgres://... for PostgreSQL or sqlite:<file> for SQLite.`,
  );
}

/** Hides the password of a connection URL before it reaches a log or an error message. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(
      `The data directory ${dir} cannot be created or written; set QILA_DATA_DIR to a writable folder or fix its permissions.`,
    );
  }
}

/** In development a random key is kept in the data directory so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

function oidcConfig(e: z.infer<typeof EnvSchema>): Config['oidc'] {
  const {
    QILA_OIDC_ISSUER: issuer,
    QILA_OIDC_CLIENT_ID: clientId,
    QILA_OIDC_CLIENT_SECRET: clientSecret,
  } = e;
  if (!issuer && !clientId && !clientSecret) return null;
  if (!issuer || !clientId || !clientSecret) {
    throw new ConfigError(
      'Single sign-on needs all three of QILA_OIDC_ISSUER, QILA_OIDC_CLIENT_ID and QILA_OIDC_CLIENT_SECRET.',
    );
  }
  return { issuer, clientId, clientSecret, label: e.QILA_OIDC_LABEL, scopes: e.QILA_OIDC_SCOPES };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Environment variable ${issue.path.join('.')} is invalid: ${issue.message}.`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.QILA_DATA_DIR);
  ensureWritableDir(dataDir);
  const database = parseDatabaseUrl(e.QILA_DATABASE_URL, dataDir);

  let secretKey = e.QILA_SECRET_KEY;
  if (production) {
    if (!secretKey || secretKey.length < 32 || /change|secret|example|demo/i.test(secretKey)) {
      throw new ConfigError(
        'Production needs QILA_SECRET_KEY set to a random value of at least 32 characters (for example: openssl rand -base64 48).',
      );
    }
    if (e.QILA_DEMO === true) {
      throw new ConfigError('Production refuses demonstration data; unset QILA_DEMO or set it to 0.');
    }
  }
  secretKey ??= developmentSecret(dataDir);

  const publicUrl = e.QILA_PUBLIC_URL ?? `http://localhost:${e.QILA_PORT}`;
  return {
    env: e.NODE_ENV,
    host: e.QILA_HOST,
    port: e.QILA_PORT,
    dataDir,
    database,
    secretKey,
    demo: production ? false : (e.QILA_DEMO ?? true),
    publicUrl: publicUrl.replace(/\/$/, ''),
    smtpUrl: e.QILA_SMTP_URL || undefined,
    mailFrom: e.QILA_MAIL_FROM,
    jurisdiction: e.QILA_JURISDICTION,
    catalogDir: path.resolve(e.QILA_CATALOG_DIR ?? path.join(repoRoot, 'catalogs')),
    logLevel: e.QILA_LOG_LEVEL,
    maxUploadBytes: e.QILA_MAX_UPLOAD_MB * 1024 * 1024,
    runJobs: e.QILA_JOBS,
    supervisionSweepMs: e.QILA_SUPERVISION_SWEEP_SECONDS * 1000,
    trustProxy: e.QILA_TRUST_PROXY,
    mfa: e.QILA_MFA ?? (production ? 'required' : 'optional'),
    oidc: oidcConfig(e),
  };
}
