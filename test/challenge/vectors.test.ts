import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {checkVector, type Vector} from './support.js';

/**
 * The project's own WWW-Authenticate vectors (vectors.json, same format as the shared conformance file),
 * written from RFC 9110 §11, RFC 7616, RFC 7617, RFC 6750, RFC 9449 and public test cases. They live in
 * the repository, so they run in every clone; the ../shared vectors (conformance.test.ts) run in addition
 * when that folder exists.
 */
const document = JSON.parse(readFileSync(new URL('vectors.json', import.meta.url), 'utf8')) as {vectors: Vector[]};
const vectors = document.vectors;

describe('the project\'s WWW-Authenticate vectors', () => {
	it('hold at least 40 well-formed vectors with unique ids, among them empty list elements and errors', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(40);
		expect(new Set(vectors.map(vector => vector.id)).size).toBe(vectors.length);
		for (const vector of vectors) {
			expect(typeof vector.id === 'string' && typeof vector.note === 'string' && vector.note !== '', vector.id).toBe(true);
			expect(Array.isArray(vector.fieldLines) && vector.fieldLines.every(line => typeof line === 'string'), vector.id).toBe(true);
			expect(vector.expected === 'error' || Array.isArray(vector.expected), vector.id).toBe(true);
		}
		const empty = vectors.filter(vector => vector.id.startsWith('empty-'));
		expect(empty.filter(vector => vector.expected !== 'error').length).toBeGreaterThanOrEqual(10);
		expect(empty.filter(vector => vector.expected === 'error').length).toBeGreaterThanOrEqual(3);
		expect(vectors.filter(vector => vector.expected === 'error').length).toBeGreaterThanOrEqual(10);
	});

	it.each(vectors)('$id: $note', checkVector);
});
