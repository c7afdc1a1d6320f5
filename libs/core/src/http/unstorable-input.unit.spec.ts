import { findUnstorableInput, MAX_INPUT_DEPTH } from './unstorable-input';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('findUnstorableInput', () => {
  it('names the field holding a NUL or a lone surrogate, in values and in keys', () => {
    expect(findUnstorableInput({ email: 'a\u0000@example.com' }, '')).toMatchObject({ field: 'email' });
    expect(findUnstorableInput({ data: { reference: ['ok', 'x\ud800'] } }, '')).toMatchObject({ field: 'data.reference[1]' });
    expect(findUnstorableInput({ envs: { 'A\udfff': 'v' } }, '')).toMatchObject({ field: 'envs."A\\udfff"' });
    expect(findUnstorableInput({ page: '%00\u0000' }, '')).toMatchObject({ field: 'page' });
  });

  it('accepts well-formed text, surrogate pairs included', () => {
    expect(findUnstorableInput({ name: '💥 café', tags: ['\u202e', ''], n: 1, b: null }, '')).toBeUndefined();
  });

  it('refuses nesting past the bound, naming the top-level field, without overflowing the stack', () => {
    expect(findUnstorableInput({ data: nested(MAX_INPUT_DEPTH - 1) }, '')).toBeUndefined();
    expect(findUnstorableInput({ data: nested(MAX_INPUT_DEPTH) }, '')).toEqual({ field: 'data', message: expect.stringContaining(String(MAX_INPUT_DEPTH)) });
    expect(findUnstorableInput(nested(100_000), '')).toMatchObject({ field: 'body' });
  });
});
