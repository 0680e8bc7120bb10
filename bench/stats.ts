/** Small, dependency-free statistics for the benchmark. */

export function median(values: readonly number[]): number {
	return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]); NaN for an empty list. */
export function quantile(values: readonly number[] | Float64Array, q: number): number {
	const n = values.length;
	if (n === 0) {
		return Number.NaN;
	}
	const sorted = Float64Array.from(values).sort();
	const position = (n - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low]! + ((sorted[high]! - sorted[low]!) * (position - low));
}

export function max(values: readonly number[]): number {
	let result = Number.NEGATIVE_INFINITY;
	for (const value of values) {
		result = Math.max(result, value);
	}
	return values.length === 0 ? Number.NaN : result;
}

export function min(values: readonly number[]): number {
	let result = Number.POSITIVE_INFINITY;
	for (const value of values) {
		result = Math.min(result, value);
	}
	return values.length === 0 ? Number.NaN : result;
}

/**
 * The order of contenders in round `round`: forward on even rounds, reversed on odd ones (A B C, C B A, …),
 * so a linear drift of the shared machine lands evenly on every contender.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
	return round % 2 === 0 ? [...items] : [...items].reverse();
}

/** Paired per-round values of `a / b` (or `a - b`), for medians of per-round comparisons. */
export function paired(a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number[] {
	const length = Math.min(a.length, b.length);
	return Array.from({length}, (_, index) => op(a[index]!, b[index]!));
}
