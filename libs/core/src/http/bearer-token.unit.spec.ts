import { bearerToken } from './headers';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, however the spaces around it fall', () => {
    for (const header of ['Bearer tok', 'bearer tok', 'Bearer  tok', 'Bearer tok  ']) expect(bearerToken(header)).toBe('tok');
  });

  it('finds none in anything else', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'tok']) expect(bearerToken(header)).toBeUndefined();
  });
});
