// The order operations were called in, from their positional ids. Pure: the web view's bundle
// uses it too.

/**
 * Compares positional ids ("2" < "10", "3-1" < "3-2") segment by segment, numerically where
 * both segments are numbers, so the tree reads in the order the handler called the operations.
 */
export function compareOperationIds(a: string, b: string): number {
  const as = a.split("-");
  const bs = b.split("-");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] ?? "";
    const y = bs[i] ?? "";
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}
