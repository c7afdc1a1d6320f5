import { Transform } from 'class-transformer';

/** `a,b,c` in a query string → ['a', 'b', 'c'] (API.md: array parameters are comma-separated). */
export const CommaList = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value));
