import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B test vectors (SHA-1, secret "12345678901234567890"); apps show the last 6 digits.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));
const vectors: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];

describe('TOTP', () => {
  it.each(vectors)('matches RFC 6238 at t=%i', (t, code) => {
    expect(totpAt(RFC_SECRET, new Date(t * 1000))).toBe(code);
  });

  it('round-trips base32', () => {
    const buf = Buffer.from('any bytes \x00\xff here');
    expect(base32Decode(base32Encode(buf))).toEqual(buf);
  });

  it('matches RFC 4226 HOTP values', () => {
    expect(hotp(Buffer.from('12345678901234567890'), 0)).toBe('755224');
    expect(hotp(Buffer.from('12345678901234567890'), 9)).toBe('520489');
  });

  it('accepts one step of drift either way, and nothing further', () => {
    const now = new Date(1_800_000_000_000);
    const at = (s: number) => totpAt(RFC_SECRET, new Date(now.getTime() + s * 1000));
    const step = Math.floor(now.getTime() / 30000);
    expect(verifyTotp(RFC_SECRET, at(0), now)).toBe(step);
    expect(verifyTotp(RFC_SECRET, at(-30), now)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, at(30), now)).toBe(step + 1);
    expect(verifyTotp(RFC_SECRET, at(-90), now)).toBeNull();
    expect(verifyTotp(RFC_SECRET, 'abcdef', now)).toBeNull();
  });
});
