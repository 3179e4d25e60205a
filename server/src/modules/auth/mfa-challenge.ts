import { createHmac, timingSafeEqual } from 'node:crypto';

const TTL_MS = 5 * 60 * 1000;

/** A short-lived, signed proof that the password step succeeded for this user. */
export function issueChallenge(secretKey: string, userId: string, now: Date): string {
  const body = Buffer.from(JSON.stringify({ u: userId, e: now.getTime() + TTL_MS })).toString('base64url');
  const mac = createHmac('sha256', secretKey).update(`mfa.${body}`).digest('base64url');
  return `${body}.${mac}`;
}

export function readChallenge(secretKey: string, challenge: string, now: Date): string | null {
  const [body, mac] = challenge.split('.');
  if (!body || !mac) return null;
  const expected = createHmac('sha256', secretKey).update(`mfa.${body}`).digest('base64url');
  if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac)))
    return null;
  try {
    const { u, e } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u: string; e: number };
    return e > now.getTime() ? u : null;
  } catch {
    return null;
  }
}
