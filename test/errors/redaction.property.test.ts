/**
 * Issue 7, item 7, as a property: however a secret is nested in errors, aggregated errors, causes,
 * fields, objects and arrays, it never appears in util.inspect or JSON of the RefreshError that wraps
 * the redacted cause, and a non-secret marker next to it still does.
 */
import {inspect} from 'node:util';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {RefreshError} from '../../src/index.js';
import {redactError} from '../../src/redact/redact.js';

const SECRET = 'SECRET-refresh-token-31337';
const MARKER = 'visible-marker-2718';

type Leaf = 'secret' | 'marker' | 'text' | 'encoded';

/** A tree description, built into real values afterwards (fast-check shrinks these well). */
type Shape =
	| {kind: 'leaf'; leaf: Leaf}
	| {kind: 'error' | 'aggregate' | 'object' | 'array' | 'field-error'; children: Shape[]};

function leafValue(leaf: Leaf): string {
	switch (leaf) {
		case 'secret': {
			return `prefix ${SECRET} suffix`;
		}
		case 'marker': {
			return MARKER;
		}
		case 'encoded': {
			return `refresh_token=${encodeURIComponent(SECRET)}`;
		}
		default: {
			return 'just text';
		}
	}
}

function build(shape: Shape): unknown {
	if (shape.kind === 'leaf') {
		return leafValue(shape.leaf);
	}
	const children = shape.children.map(child => build(child));
	switch (shape.kind) {
		case 'error': {
			const [first, ...rest] = children;
			return Object.assign(new Error(typeof first === 'string' ? first : 'an error', {cause: first}), {details: rest});
		}
		case 'aggregate': {
			return new AggregateError(children, 'several failures');
		}
		case 'field-error': {
			return Object.assign(new TypeError('wrapper'), Object.fromEntries(children.map((child, index) => [`field${index}`, child])));
		}
		case 'object': {
			return Object.fromEntries(children.map((child, index) => [`key${index}`, child]));
		}
		default: {
			return children;
		}
	}
}

/** Whether `leaf` sits within `depth` levels of the tree (each level is at most two levels of inspect and of the redaction walk). */
function leafWithin(shape: Shape, leaf: Leaf, depth: number): boolean {
	if (depth < 0) {
		return false;
	}
	if (shape.kind === 'leaf') {
		return shape.leaf === leaf;
	}
	// An error's first child is also its message.
	const first = shape.children[0];
	if (shape.kind === 'error' && first?.kind === 'leaf' && first.leaf === leaf) {
		return true;
	}
	return shape.children.some(child => leafWithin(child, leaf, depth - 1));
}

function containsLeaf(shape: Shape, leaf: Leaf): boolean {
	return shape.kind === 'leaf' ? shape.leaf === leaf : shape.children.some(child => containsLeaf(child, leaf));
}

const {tree} = fc.letrec<{tree: Shape; node: Shape}>(tie => ({
	tree: fc.oneof({depthSize: 'small', withCrossShrink: true},
		fc.record({kind: fc.constant('leaf' as const), leaf: fc.constantFrom<Leaf>('secret', 'marker', 'text', 'encoded')}),
		tie('node')),
	node: fc.record({
		kind: fc.constantFrom('error' as const, 'aggregate' as const, 'object' as const, 'array' as const, 'field-error' as const),
		children: fc.array(tie('tree'), {minLength: 1, maxLength: 4}),
	}),
}));

/** A tree with the secret somewhere (at any depth, not only next to the root) and an Error at the root (what a refresh throws). */
const rootedTree = fc.tuple(tree, fc.constantFrom('error' as const, 'aggregate' as const, 'field-error' as const))
	.filter(([shape]) => containsLeaf(shape, 'secret'))
	.map(([shape, kind]): Shape => ({kind, children: [{kind: 'leaf', leaf: 'text'}, shape]}));

describe('redaction, for any nesting', () => {
	it('the secret never shows in inspect(depth 10), JSON, String or stack; a marker within reach still does', () => {
		fc.assert(fc.property(rootedTree, shape => {
			const cause = redactError(build(shape), [SECRET]);
			const error = new RefreshError('REFRESH_FAILED', {cause});
			const inspected = inspect(error, {depth: 10});
			const views = [inspected, inspect(cause, {depth: Number.POSITIVE_INFINITY, showHidden: true}), JSON.stringify(cause) ?? '', JSON.stringify(error), String(error), error.stack ?? '', error.message];
			for (const view of views) {
				expect(view).not.toContain(SECRET);
				expect(view).not.toContain(encodeURIComponent(SECRET));
			}
			if (leafWithin(shape, 'marker', 4)) {
				expect(inspected).toContain(MARKER);
			}
			if (leafWithin(shape, 'text', 4)) {
				expect(inspected).toContain('just text');
			}
		}), {numRuns: 300});
	});
});
