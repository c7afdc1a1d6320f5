/** How long until `check` holds, polling every 20 ms, at most 5 s (Infinity if it never does): for "within a second" claims. */
export async function millisUntil(check: () => Promise<boolean>): Promise<number> {
  const began = Date.now();
  while (!(await check())) {
    if (Date.now() - began > 5000) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - began;
}
