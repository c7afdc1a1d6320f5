import { inLanes } from './in-lanes';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('inLanes', () => {
  it('given more items than lanes, when run, then never more than the lanes are in flight and results keep the items order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await inLanes([5, 4, 3, 2, 1, 0, 9], 3, async (n) => {
      most = Math.max(most, ++inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(most).toBe(3);
    expect(results).toEqual([50, 40, 30, 20, 10, 0, 90]);
  });

  it('given a failing item, when run, then it rejects with that failure once the started items settled, and starts no more', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = inLanes([1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      for (let i = 0; i < n; i++) await tick();
      if (n === 1) throw new Error('one failed');
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('one failed');
    expect(finished).toEqual([2]);
    expect(started).toEqual([1, 2]);
  });

  it('given no items, when run, then nothing runs', async () => {
    const work = jest.fn();
    expect(await inLanes([], 4, work)).toEqual([]);
    expect(work).not.toHaveBeenCalled();
  });
});
