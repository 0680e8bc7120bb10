import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseWWWAuthenticate} from '../../src/index.js';
import {expectWellFormed, parseError, plain, type PlainChallenge} from './support.js';

interface Vector {
	id: string;
	fieldLines: string[];
	expected: PlainChallenge[] | 'error';
	note?: string;
}

// Read from the shared conformance file at run time; never copied into the repository.
const file = new URL('../../../shared/conformance/www-authenticate.json', import.meta.url);
const document = JSON.parse(readFileSync(file, 'utf8')) as {vectors?: unknown};
const vectors = (Array.isArray(document.vectors) ? document.vectors : []) as Vector[];

describe('WWW-Authenticate conformance vectors', () => {
	it('the vector file holds at least 30 well-formed vectors with unique ids', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(30);
		expect(new Set(vectors.map(vector => vector.id)).size).toBe(vectors.length);
		for (const vector of vectors) {
			expect(typeof vector.id).toBe('string');
			expect(Array.isArray(vector.fieldLines) && vector.fieldLines.every(line => typeof line === 'string'), vector.id).toBe(true);
			expect(vector.expected === 'error' || Array.isArray(vector.expected), vector.id).toBe(true);
		}
	});

	it.each(vectors)('$id: $note', vector => {
		if (vector.expected === 'error') {
			parseError(vector.fieldLines);
			// The same field given already combined is rejected as well.
			parseError(vector.fieldLines.join(', '));
			return;
		}
		const result = parseWWWAuthenticate(vector.fieldLines);
		expectWellFormed(result);
		expect(plain(result)).toStrictEqual(vector.expected);
		expect(plain(parseWWWAuthenticate(vector.fieldLines.join(', ')))).toStrictEqual(vector.expected);
	});
});
