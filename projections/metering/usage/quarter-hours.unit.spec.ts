import { quarterHours, utcHourOf, utcMonthOf } from './quarter-hours';

const t = (h: number, m: number, s = 0) => new Date(Date.UTC(2026, 0, 1, h, m, s));

describe('quarterHours', () => {
  it('gives a stretch inside one quarter hour all of it', () => {
    expect(quarterHours(t(10, 1), t(10, 2))).toEqual([{ start: t(10, 0), share: 1 }]);
  });

  it('spreads a stretch across quarter hours by the time spent in each', () => {
    expect(quarterHours(t(10, 10), t(10, 40))).toEqual([
      { start: t(10, 0), share: 5 / 30 },
      { start: t(10, 15), share: 15 / 30 },
      { start: t(10, 30), share: 10 / 30 },
    ]);
  });

  it('a zero-length interval (a correction of an instant) lands whole in its quarter hour', () => {
    expect(quarterHours(t(10, 20), t(10, 20))).toEqual([{ start: t(10, 15), share: 1 }]);
  });

  it('starts the UTC hour a quarter hour falls in', () => {
    expect(utcHourOf(t(10, 45))).toEqual(t(10, 0));
    expect(utcHourOf(t(10, 0))).toEqual(t(10, 0));
  });

  it('names the UTC month', () => {
    expect(utcMonthOf(new Date('2026-02-28T23:59:59.999Z'))).toBe('2026-02-01');
  });
});
