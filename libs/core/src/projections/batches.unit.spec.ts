import { batches } from './batches';

async function* burstsOf(sizes: number[]) {
  let n = 0;
  for (const size of sizes) {
    for (let i = 0; i < size; i++) yield n++;
    await new Promise((resolve) => setTimeout(resolve, 5)); // the source waits between bursts
  }
}

describe('batches', () => {
  it('closes a batch when the source would wait, and caps its size', async () => {
    const out: number[][] = [];
    for await (const batch of batches(burstsOf([3, 5, 1]), 4)) out.push(batch);
    expect(out).toEqual([[0, 1, 2], [3, 4, 5, 6], [7], [8]]);
  });

  it('ends with the source', async () => {
    const out: number[][] = [];
    for await (const batch of batches(burstsOf([]), 4)) out.push(batch);
    expect(out).toEqual([]);
  });
});
