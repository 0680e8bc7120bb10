/**
 * sharedMemoryStore in Node: its options, the fallback without BroadcastChannel, and its protocol between
 * two instances of one process (Node's BroadcastChannel reaches every other channel of the same name in the
 * process; there are no Web Locks or IndexedDB here, so the store has no lock and a first read waits
 * answerTimeout for answers).
 */
import {afterEach, describe, expect, test, vi} from 'vitest';
import {sharedMemoryStore, type SharedMemoryStoreOptions, type TokenRecord} from '../../src/index.js';
import {deferred} from '../helpers/deferred.js';

afterEach(() => {
	vi.unstubAllGlobals();
});

const recordA: TokenRecord = {id: 'a', generation: 0, tokens: {accessToken: 'access-a', refreshToken: 'refresh-a'}};

describe('sharedMemoryStore options', () => {
	test.each([
		[undefined, /sharedMemoryStore: options: expected an object with a "key", got undefined/],
		['app.auth', /sharedMemoryStore: options: expected an object with a "key", got a string \("app\.auth"\)/],
		[{}, /sharedMemoryStore: options\.key: expected a non-empty string, got undefined/],
		[{key: ''}, /options\.key: expected a non-empty string, got a string \(""\)/],
		[{key: 'k', lockTimeout: 0}, /options\.lockTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a number \(0\)/],
		[{key: 'k', lockTimeout: Number.NaN}, /options\.lockTimeout: .* got a number \(NaN\)/],
		[{key: 'k', lockTimeout: 2 ** 31}, /options\.lockTimeout: .* got a number \(2147483648\)/],
		[{key: 'k', answerTimeout: -1}, /options\.answerTimeout: expected a number of milliseconds above 0 and at most 2147483647, got a number \(-1\)/],
		[{key: 'k', answerTimeout: '250ms'}, /options\.answerTimeout: .* got a string \("250ms"\)/],
		[{key: 'k', answerTimeout: Number.POSITIVE_INFINITY}, /options\.answerTimeout: .* got a number \(Infinity\)/],
	])('%o is refused eagerly with a TypeError', (options, message) => {
		expect(() => sharedMemoryStore(options as SharedMemoryStoreOptions)).toThrow(TypeError);
		expect(() => sharedMemoryStore(options as SharedMemoryStoreOptions)).toThrow(message);
	});

	test('creating the store opens nothing yet (no channel until it is used)', () => {
		const opened = vi.fn();
		vi.stubGlobal('BroadcastChannel', class {
			constructor() {
				opened();
			}
		});
		const store = sharedMemoryStore({key: 'k'});
		expect(opened).not.toHaveBeenCalled();
		expect(Object.keys(store).sort()).toEqual(['compareAndSet', 'get', 'set', 'subscribe']);
	});

	test('without BroadcastChannel it is this tab\'s own memory: synchronous, with an in-page lock, shared with no other store', async () => {
		vi.stubGlobal('BroadcastChannel', undefined);
		const first = sharedMemoryStore({key: 'k'});
		const second = sharedMemoryStore({key: 'k'});
		expect(first.get()).toBeNull();
		await first.set(recordA);
		expect(first.get()).toEqual(recordA);
		expect(second.get()).toBeNull();
		expect(typeof first.lock).toBe('function');
	});
});

describe('sharedMemoryStore between two instances of one process', () => {
	const options = {answerTimeout: 50};

	test('a second instance gets the first one\'s record on its first read; writes reach the other before they resolve', async () => {
		const key = 'node-1';
		const first = sharedMemoryStore({key, ...options});
		const firstHeard = vi.fn();
		const stopFirst = first.subscribe!(firstHeard);
		expect(await first.get()).toBeNull();
		await first.set(recordA);
		expect(firstHeard).toHaveBeenCalledTimes(1);

		const second = sharedMemoryStore({key, ...options});
		const secondHeard = vi.fn();
		const stopSecond = second.subscribe!(secondHeard);
		expect(await second.get()).toEqual(recordA);

		const next: TokenRecord = {id: 'a', generation: 1, tokens: {accessToken: 'access-a1', refreshToken: 'refresh-a1'}};
		expect(await second.compareAndSet!({id: 'a', generation: 0}, next)).toBe(true);
		// Acknowledged: the first instance took the write before compareAndSet resolved.
		expect(firstHeard).toHaveBeenCalledTimes(2);
		expect(await first.get()).toEqual(next);
		// The first instance compares against the second one's write: the old version no longer matches.
		expect(await first.compareAndSet!({id: 'a', generation: 0}, recordA)).toBe(false);

		await first.set(null);
		expect(await second.get()).toBeNull();
		// The second heard its own write and the first one's sign-out; not its first read.
		expect(secondHeard).toHaveBeenCalledTimes(2);
		stopFirst();
		stopSecond();
	});

	test('messages that are not the store\'s own (another protocol, garbage, forged shapes) are ignored', async () => {
		const key = 'node-2';
		const store = sharedMemoryStore({key, ...options});
		const heard = deferred<void>();
		const changed = vi.fn(() => {
			heard.resolve();
		});
		await store.set(recordA);
		const stop = store.subscribe!(changed);
		const channel = new BroadcastChannel(`ky-auth:shared:${key}`);
		const forged = {protocol: 'ky-auth/shared-memory/1', kind: 'write', from: 'x', nonce: 'n'};
		for (const data of ['changed', null, {protocol: 'other', kind: 'write'}, {...forged, copy: {record: {id: 'z'}, stamp: {seq: 99, writer: 'x'}}}, {...forged, copy: {record: null, stamp: {seq: -1, writer: 'x'}}}]) {
			channel.postMessage(data);
		}
		// A valid write posted last: once it is heard, the ones before it were handled (and ignored).
		channel.postMessage({...forged, nonce: 'n2', copy: {record: null, stamp: {seq: 100, writer: 'x'}}});
		await heard.promise;
		expect(changed).toHaveBeenCalledTimes(1);
		expect(await store.get()).toBeNull();
		channel.close();
		stop();
	});
});
