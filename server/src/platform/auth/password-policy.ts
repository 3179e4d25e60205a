import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Loads catalogs/security/common-passwords.txt: refused passwords and stems. */
export function loadCommonPasswords(catalogDir: string): Set<string> {
  const text = readFileSync(path.join(catalogDir, 'security', 'common-passwords.txt'), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  );
}

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '1': 'i',
  '!': 'i',
  '3': 'e',
  $: 's',
  '5': 's',
  '7': 't',
};

function isRunOrRepeat(p: string): boolean {
  if (new Set(p).size <= 2) return true;
  const codes = [...p].map((c) => c.charCodeAt(0));
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
  return steps.size === 1 && [1, -1, 0].includes([...steps][0]!);
}

/**
 * Why a password is refused, in words a person can act on; null when it is acceptable.
 * Length first (NIST SP 800-63B favours length over composition rules), then known and
 * guessable passwords.
 */
export function passwordProblem(
  password: string,
  common: Set<string>,
  personal: string[] = [],
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters; a short sentence is easy to remember.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  const stem = lower.replace(/[^\p{L}]/gu, '');
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unLeet = [...core]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^\p{L}]/gu, '');
  // A listed word with only digits and symbols around it ("Pakistan@2026!", "P@ssw0rd1") is as weak as the word.
  if (common.has(lower) || common.has(stem) || common.has(unLeet)) {
    return 'This password is one of the most commonly used; choose something less predictable.';
  }
  if (isRunOrRepeat(lower))
    return 'This password is a repetition or a simple sequence; choose something less predictable.';
  for (const part of personal) {
    const p = part.toLowerCase().trim();
    if (p.length >= 4 && lower.includes(p)) return 'Do not use your name or email address in your password.';
  }
  return null;
}

export function assertPasswordAcceptable(
  password: string,
  common: Set<string>,
  personal: string[] = [],
): void {
  const problem = passwordProblem(password, common, personal);
  if (problem) throw new ValidationError(problem, { field: 'password' });
}
