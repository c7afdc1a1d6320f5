import fc from 'fast-check';

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep: the shape that overflowed class-transformer's stack. */
export function nested(depth: number, kind: 'array' | 'object', leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Strings PostgreSQL, validators, URI decoders and loggers have each choked on somewhere. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '\u0000',
  'x\u0000y',
  'ada@example.com\u0000',
  'ad\ud800a@example.com',
  '\u0000@example.com',
  '\ufeff',
  '\u202etxt.exe',
  '\uffff\ufffe',
  '💥🏳️‍🌈',
  'e\u0301\u0301\u0301',
  '%00',
  '%ED%A0%80',
  '../../../etc/passwd',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '\\',
  '"',
  '\r\n',
  'file:///etc/shadow',
  '__proto__',
  'constructor',
  '1e400',
  'NaN',
];

/** One UTF-16 code unit of any value, lone surrogates and NUL included (fast-check's own units avoid them). */
const anyCodeUnit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), fc.constantFrom('\u0000', '\ud800', '\udfff'));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS).map((s) => `${s}${'x'.repeat(2_000)}${s}`) },
  { weight: 1, arbitrary: fc.constant('y'.repeat(50_000)) },
);

/** Keys that are not field names: prototype pollution, NULs, lone surrogates, empties. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', '\u0000', 'a\ud800', '$where', 'a.b', 'x'.repeat(1_000)), fc.string({ unit: anyCodeUnit, maxLength: 10 }));

/** A value of the wrong type, shape or size for whatever field it lands in. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 10 ** 18, Number.MIN_VALUE) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [[]], { '': '' }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(33, 100, 3_000), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([depth, kind]) => nested(depth, kind)) },
);

/** Marks a value that is already wire text (a deliberately broken escape), to be sent as is. */
const RAW = '\ue000raw\ue000';

/** Query values that a numeric, date or enum parameter must refuse with a 400. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('1e18', '1000000000000000000', '99999999999999999999999999', '-1', '0', '-0', '1.5', 'abc', 'NaN', 'Infinity', '0x10', ' 1', 'true', '[]', ''),
  fc.constantFrom('%00', '%ED%A0%80', '%', '%zz', '%C0%80', 'a%00b', 'x'.repeat(5_000)).map((raw) => `${RAW}${raw}`),
  hostileString,
);

/** Percent-encodes any JS string, including lone surrogates (as their invalid 3-byte UTF-8), which encodeURIComponent refuses. */
export function encodeComponent(value: string): string {
  if (value.startsWith(RAW)) return value.slice(RAW.length);
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}
