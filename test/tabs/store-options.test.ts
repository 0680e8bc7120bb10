/** indexedDbStore's options and environment checks, in Node (no IndexedDB here, as in server-side rendering). */
import {afterEach, describe, expect, test, vi} from 'vitest';
import {indexedDbStore, type IndexedDbStoreOptions} from '../../src/index.js';

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('indexedDbStore options', () => {
	test.each([
		[undefined, /indexedDbStore: options: expected an object with a "key", got undefined/],
		[{}, /indexedDbStore: options\.key: expected a non-empty string, got undefined/],
		[{key: ''}, /options\.key: expected a non-empty string, got a string \(""\)/],
		[{key: 'k', databaseName: 3}, /options\.databaseName: expected a non-empty string, got a number \(3\)/],
		[{key: 'k', lockTimeout: 0}, /options\.lockTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a number \(0\)/],
		[{key: 'k', lockTimeout: -5}, /options\.lockTimeout: .* got a number \(-5\)/],
		[{key: 'k', lockTimeout: Number.NaN}, /options\.lockTimeout: .* got a number \(NaN\)/],
		[{key: 'k', lockTimeout: 2 ** 31}, /options\.lockTimeout: .* got a number \(2147483648\)/],
		[{key: 'k', lockTimeout: '30s'}, /options\.lockTimeout: .* got a string \("30s"\)/],
	])('%o is refused eagerly with a TypeError', (options, message) => {
		vi.stubGlobal('indexedDB', {open: vi.fn()});
		expect(() => indexedDbStore(options as IndexedDbStoreOptions)).toThrow(TypeError);
		expect(() => indexedDbStore(options as IndexedDbStoreOptions)).toThrow(message);
	});

	test('without IndexedDB (Node, server-side rendering) creation fails with a TypeError that says what to use', () => {
		expect(globalThis.indexedDB).toBeUndefined();
		expect(() => indexedDbStore({key: 'k'})).toThrow(TypeError);
		expect(() => indexedDbStore({key: 'k'})).toThrow(/there is none here: server-side rendering or Node\? use memoryStore\(\) on the server/);
	});

	test('creating the store opens nothing yet; it offers all five methods', () => {
		const open = vi.fn();
		vi.stubGlobal('indexedDB', {open});
		const store = indexedDbStore({key: 'k', databaseName: 'app', lockTimeout: 1000});
		expect(open).not.toHaveBeenCalled();
		expect(Object.keys(store).sort()).toEqual(['compareAndSet', 'get', 'lock', 'set', 'subscribe']);
	});
});
