import { isIP } from 'node:net';
import { ValidationError } from '../../platform/errors.ts';
import type { ObservableType } from './incidents.schemas.ts';

const HEX: Record<string, number> = { md5: 32, sha1: 40, sha256: 64 };
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,253}$/;

/**
 * One spelling per indicator so that the same IP, domain or hash reported by two entities is one
 * observable: lower-case domains, hashes and e-mail addresses, trailing dots and default ports removed.
 */
export function normalizeObservable(type: ObservableType, raw: string, field = 'value'): string {
  const v = raw.trim();
  const bad = (why: string) => new ValidationError(`${field}: ${why}`, { field });
  switch (type) {
    case 'ipv4':
      if (isIP(v) !== 4) throw bad(`"${v.slice(0, 60)}" is not an IPv4 address.`);
      return v;
    case 'ipv6':
      if (isIP(v) !== 6) throw bad(`"${v.slice(0, 60)}" is not an IPv6 address.`);
      return v.toLowerCase();
    case 'domain': {
      const d = v.toLowerCase().replace(/\.$/, '');
      if (!DOMAIN.test(d)) throw bad(`"${v.slice(0, 60)}" is not a domain name.`);
      return d;
    }
    case 'email': {
      const e = v.toLowerCase();
      if (!EMAIL.test(e)) throw bad(`"${v.slice(0, 60)}" is not an e-mail address.`);
      return e;
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw bad(`"${v.slice(0, 60)}" is not a URL.`);
      }
      if (!['http:', 'https:', 'ftp:'].includes(u.protocol))
        throw bad('Only http, https and ftp URLs are accepted.');
      return u.toString();
    }
    default: {
      const h = v.toLowerCase();
      if (!new RegExp(`^[0-9a-f]{${HEX[type]}}$`).test(h))
        throw bad(`a ${type.toUpperCase()} hash is ${HEX[type]} hexadecimal characters.`);
      return h;
    }
  }
}
