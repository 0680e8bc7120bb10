import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {TokenRecord, TokenRecordVersion} from '../../src/index.js';
import {readRecord, versionOf} from '../../src/record/record.js';
import {redisStore} from '../../src/redis/index.js';
import {flavours, type TestClient} from './clients.js';
import {RedisServer, redisMissing} from './redis-server.js';

// The compare-and-set script reads the stored JSON in Lua; `get` reads it with readRecord in JS. They must agree
// on every value, or a session could compare against a version it never read (and loop, or overwrite).

const next: TokenRecord = {id: 'next', generation: 0, tokens: {accessToken: 'next-token'}};

/** Any JSON value, often a near-miss of a TokenSet or a record: wrong types, bad characters, odd numbers. */
const anyString = fc.oneof(
	fc.string({unit: 'grapheme-ascii', maxLength: 6}),
	fc.constantFrom('', 'Bearer', 'DPoP', 'Bear er', 'a\u0000b', 'tab\there', 'é', '\ud800', '{}', 'unversioned', 'x'),
	fc.string({unit: 'binary', maxLength: 4}),
);
const anyNumber = fc.oneof(
	fc.integer({min: -3, max: 3}),
	fc.constantFrom(0.5, -0, 1e21, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1.0000001, Number.MAX_VALUE),
	fc.double({noNaN: true, noDefaultInfinity: true}),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(anyString, anyNumber, fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
const field = <T>(value: fc.Arbitrary<T>) => fc.option(fc.oneof({weight: 3, arbitrary: value}, {weight: 1, arbitrary: anyValue}), {nil: undefined});
const tokenSet = fc.record({
	accessToken: field(fc.constantFrom('a', 'eyJ.x.y', 'tok~!', 'a b', '')),
	refreshToken: field(fc.constantFrom('r', '')),
	tokenType: field(fc.constantFrom('Bearer', 'DPoP', 'bad type', '', 'x!#$%&\'*+-.^_`|~9')),
	scope: field(anyString),
	expiresAt: field(anyNumber),
	expiresIn: field(anyNumber),
}, {requiredKeys: []});
const storedRecord = fc.record({
	id: field(fc.constantFrom('id-1', '', 'unversioned')),
	generation: field(anyNumber),
	tokens: fc.oneof({weight: 4, arbitrary: tokenSet}, {weight: 1, arbitrary: anyValue}),
}, {requiredKeys: []});
/** A record that is valid but for, maybe, its generation: where the integer checks must agree. */
const nearRecord = fc.record({
	id: fc.constantFrom('id-1', 'unversioned'),
	generation: anyNumber,
	tokens: fc.record({accessToken: fc.constantFrom('a', 'eyJ.x.y'), tokenType: fc.constantFrom('Bearer', 'DPoP'), expiresAt: fc.nat()}, {requiredKeys: ['accessToken']}),
});
/** What a store might find at the key: JSON of these, arbitrary JSON, or not JSON at all. */
const stored = fc.oneof(
	{weight: 4, arbitrary: storedRecord.map(value => JSON.stringify(value))},
	{weight: 2, arbitrary: nearRecord.map(value => JSON.stringify(value))},
	{weight: 2, arbitrary: tokenSet.map(value => JSON.stringify(value))},
	{weight: 1, arbitrary: fc.json({maxDepth: 2})},
	{weight: 1, arbitrary: fc.constantFrom('{not json', '', '[1,2]', 'null', '"text"', '{"id":"a","generation":1,"tokens":{"accessToken":"x"},"id":"b"}')},
);

function parse(raw: string): unknown {
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return null;
	}
}

/** Two versions that differ from `version`. */
function otherVersions(version: TokenRecordVersion): TokenRecordVersion[] {
	return version === null
		? [{id: 'id-1', generation: 0}, {id: 'unversioned', generation: 0}]
		: [null, {id: version.id, generation: version.generation === Number.MAX_SAFE_INTEGER ? 0 : version.generation + 1}, {id: `${version.id}-other`, generation: version.generation}];
}

describe.skipIf(redisMissing)(redisMissing ? `compare-and-set reads like readRecord — SKIPPED: ${redisMissing}` : 'compare-and-set (Lua) reads the stored value exactly as readRecord (JS) does', () => {
	let server: RedisServer;
	let client: TestClient;
	beforeAll(async () => {
		server = await RedisServer.launch();
		const [flavour] = flavours;
		if (!flavour) {
			throw new Error('no client library');
		}
		client = await flavour.connect(server.port);
	});
	afterAll(async () => {
		await client.close();
		await server.close();
	});

	it('for any stored value, compare-and-set succeeds against the version readRecord gives it and fails against others', async () => {
		const store = redisStore({client: client.client, key: 'lua-record'});
		const key = 'ky-auth:{lua-record}:record';
		await fc.assert(fc.asyncProperty(stored, async raw => {
			const version = versionOf(readRecord(parse(raw)));
			for (const other of otherVersions(version)) {
				await client.raw('SET', key, raw);
				expect(await store.compareAndSet(other, next), `${raw} is not ${JSON.stringify(other)}`).toBe(false);
			}
			await client.raw('SET', key, raw);
			expect(await store.compareAndSet(version, next), `${raw} is ${JSON.stringify(version)}`).toBe(true);
		}), {numRuns: 500});
	});
});
