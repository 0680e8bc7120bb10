/** The selection a component last committed (written in an effect, so only committed renders count). */
export type CommittedSelection<T> = {readonly hasValue: false} | {readonly hasValue: true; readonly value: T};

/** Nothing committed yet. */
export const nothingCommitted: CommittedSelection<never> = Object.freeze({hasValue: false});

/**
 * Wraps `selector` so that it can serve as `useSyncExternalStore`'s `getSnapshot`, which React calls on
 * every render and after every store change and compares with `Object.is`:
 * - the same snapshot gives back the same selection without calling `selector` again (a selector that
 *   builds a new object would otherwise make React render forever: "The result of getSnapshot should be cached");
 * - when `isEqual` says a new selection equals the previous one, the previous one is returned, so React
 *   sees no change and does not re-render;
 * - a fresh wrapper (first render, or a new inline selector) keeps the committed selection when `isEqual`
 *   says it is equal, so memoised children downstream stay valid.
 *
 * The memo lives in this closure, not in a ref: each wrapper belongs to one render's `useMemo`, so a
 * render React throws away (concurrent rendering) never leaks its memo into another.
 */
export function memoizeSelector<S, T>(
	selector: (snapshot: S) => T,
	isEqual: ((a: T, b: T) => boolean) | undefined,
	committed: {readonly current: CommittedSelection<T>},
): (snapshot: S) => T {
	let memo: {snapshot: S; selection: T} | undefined;
	return snapshot => {
		if (memo !== undefined && Object.is(memo.snapshot, snapshot)) {
			return memo.selection;
		}
		const selection = selector(snapshot);
		const previous = memo === undefined ? committed.current : {hasValue: true as const, value: memo.selection};
		const kept = isEqual !== undefined && previous.hasValue && isEqual(previous.value, selection) ? previous.value : selection;
		memo = {snapshot, selection: kept};
		return kept;
	};
}
