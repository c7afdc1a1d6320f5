import { usageRanges } from './usage-ranges';

const t = (h: number, m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, h, m, s));
const day2 = (h: number, m: number) => new Date(Date.UTC(2026, 0, 2, h, m));

describe('usageRanges', () => {
  it('given a window over whole and partial hours, then whole hours come from the hourly totals and the quarter hours at the ends from the rollup', () => {
    expect(usageRanges(t(10, 22), day2(10, 7))).toEqual({
      quarters: { from: t(10, 15), to: day2(10, 15) },
      hours: { from: t(11, 0), to: day2(10, 0) },
      edges: [
        { from: t(10, 15), to: t(11, 0) },
        { from: day2(10, 0), to: day2(10, 15) },
      ],
    });
  });

  it('given a window on hour boundaries, then it is all whole hours', () => {
    expect(usageRanges(t(10, 0), t(13, 0))).toEqual({ quarters: { from: t(10, 0), to: t(13, 0) }, hours: { from: t(10, 0), to: t(13, 0) }, edges: [] });
  });

  it('given a window inside one hour, then it is all quarter hours, the one holding each end included', () => {
    expect(usageRanges(t(10, 20), t(10, 31))).toEqual({ quarters: { from: t(10, 15), to: t(10, 45) }, hours: null, edges: [{ from: t(10, 15), to: t(10, 45) }] });
  });

  it('given an end on a quarter hour, then the quarter hour starting there is not counted', () => {
    expect(usageRanges(t(10, 50), t(12, 30)).edges).toEqual([
      { from: t(10, 45), to: t(11, 0) },
      { from: t(12, 0), to: t(12, 30) },
    ]);
  });

  it('given no start (all time), then every whole hour up to the end comes from the totals', () => {
    expect(usageRanges(undefined, t(10, 5))).toEqual({ quarters: { from: null, to: t(10, 15) }, hours: { from: null, to: t(10, 0) }, edges: [{ from: t(10, 0), to: t(10, 15) }] });
  });
});
