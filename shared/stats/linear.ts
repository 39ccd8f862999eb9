/**
 * Small dense linear algebra for the statistics modules: symmetric positive definite
 * systems of at most a few hundred unknowns (one per reviewer, or per agent and channel).
 */

/** A square matrix as rows. */
export type Matrix = number[][];

/** An n×n zero matrix. */
export const zeros = (n: number): Matrix =>
  Array.from({ length: n }, () => new Array<number>(n).fill(0));

/**
 * Cholesky factor L (lower triangular, A = L·Lᵀ) of a symmetric positive definite matrix.
 *
 * @throws RangeError when A is not positive definite (a pivot ≤ 1e-12 times the diagonal's scale).
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l = zeros(n);
  const scale = Math.max(1, ...a.map((row, i) => Math.abs(row[i] ?? 0)));
  for (let j = 0; j < n; j++) {
    const lj = l[j] ?? [];
    let d = a[j]?.[j] ?? 0;
    for (let k = 0; k < j; k++) d -= (lj[k] ?? 0) ** 2;
    if (!(d > 1e-12 * scale))
      throw new RangeError(`matrix is not positive definite (pivot ${j}: ${d})`);
    const root = Math.sqrt(d);
    lj[j] = root;
    for (let i = j + 1; i < n; i++) {
      const li = l[i] ?? [];
      let s = a[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) s -= (li[k] ?? 0) * (lj[k] ?? 0);
      li[j] = s / root;
    }
  }
  return l;
}

/** Solves L·Lᵀ·x = b given the Cholesky factor L. */
export function choleskySolve(l: Matrix, b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const li = l[i] ?? [];
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (li[k] ?? 0) * (y[k] ?? 0);
    y[i] = s / (li[i] ?? 1);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) s -= (l[k]?.[i] ?? 0) * (x[k] ?? 0);
    x[i] = s / (l[i]?.[i] ?? 1);
  }
  return x;
}

/** The inverse of a symmetric positive definite matrix, from its Cholesky factor. */
export function choleskyInverse(l: Matrix): Matrix {
  const n = l.length;
  const inverse = zeros(n);
  for (let j = 0; j < n; j++) {
    const unit = new Array<number>(n).fill(0);
    unit[j] = 1;
    const column = choleskySolve(l, unit);
    for (let i = 0; i < n; i++) {
      const row = inverse[i];
      if (row) row[j] = column[i] ?? 0;
    }
  }
  return inverse;
}

/**
 * Eigen-decomposition A = V·diag(values)·Vᵀ of a symmetric matrix by cyclic Jacobi
 * rotations: accurate to rounding for the small matrices here (converges quadratically;
 * stops when the off-diagonal mass is below 1e-22 of the total).
 *
 * @returns the eigenvalues and the eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v = zeros(n);
  for (let i = 0; i < n; i++) {
    const row = v[i];
    if (row) row[i] = 1;
  }
  const at = (i: number, j: number) => m[i]?.[j] ?? 0;
  const set = (x: Matrix, i: number, j: number, value: number) => {
    const row = x[i];
    if (row) row[j] = value;
  };
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += at(i, j) ** 2;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(i, j) ** 2;
    if (off <= 1e-22 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          set(m, k, p, c * akp - s * akq);
          set(m, k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          set(m, p, k, c * apk - s * aqk);
          set(m, q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]?.[p] ?? 0;
          const vkq = v[k]?.[q] ?? 0;
          set(v, k, p, c * vkp - s * vkq);
          set(v, k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  return { values: m.map((row, i) => row[i] ?? 0), vectors: v };
}
