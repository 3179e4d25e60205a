import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommonPasswords, passwordProblem } from './password-policy.ts';

const common = loadCommonPasswords(path.resolve(import.meta.dirname, '../../../../catalogs'));

describe('password policy', () => {
  it.each([
    ['short1!', /at least 12/],
    ['password1234', /commonly used/],
    ['Pakistan@2026!!', /commonly used/],
    ['P@ssw0rd12345', /commonly used/],
    ['aaaaaaaaaaaaaa', /repetition or a simple sequence/],
    ['abcdefghijklmn', /repetition or a simple sequence/],
    ['1234567890123', /commonly used|sequence/],
  ])('refuses %s', (pw, why) => {
    expect(passwordProblem(pw, common)).toMatch(why);
  });

  it('refuses a password containing the person’s name or email', () => {
    expect(
      passwordProblem('ayesha.siddiqui rules 42', common, ['ayesha.siddiqui', 'Ayesha Siddiqui']),
    ).toMatch(/name or email/);
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('monsoon kite over the indus', common)).toBeNull();
    expect(passwordProblem('correct-horse-battery-staple', common)).toBeNull();
  });
});
