import {existsSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {checkVector, type Vector} from './support.js';

// The shared conformance file sits beside the repository only in CI (../shared); a user's clone has none.
// Read at run time, never copied into the repository. The project's own vectors (vectors.test.ts) always run.
const file = new URL('../../../shared/conformance/www-authenticate.json', import.meta.url);
const present = existsSync(file);
const document = present ? JSON.parse(readFileSync(file, 'utf8')) as {vectors?: unknown} : {};
const vectors = (Array.isArray(document.vectors) ? document.vectors : []) as Vector[];

describe.skipIf(!present)(`WWW-Authenticate conformance vectors from ../shared${present ? '' : ' (skipped: ../shared/conformance/www-authenticate.json is not beside this clone; it exists only in CI)'}`, () => {
	it('the vector file holds at least 30 well-formed vectors with unique ids', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(30);
		expect(new Set(vectors.map(vector => vector.id)).size).toBe(vectors.length);
		for (const vector of vectors) {
			expect(typeof vector.id).toBe('string');
			expect(Array.isArray(vector.fieldLines) && vector.fieldLines.every(line => typeof line === 'string'), vector.id).toBe(true);
			expect(vector.expected === 'error' || Array.isArray(vector.expected), vector.id).toBe(true);
		}
	});

	it.each(vectors)('$id: $note', checkVector);
});
