import {inspect} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {AuthenticationError, basic, createAuthClient, PermissionError, type BasicOptions} from '../../src/index.js';
import {countingSession} from './cases.js';
import {answer, closeOrigins, ok, startOrigin, type Origin} from './origins.js';

afterEach(closeOrigins);

/** Sends one GET per password reading through a client with `basic(options)` bound to a fresh origin; the Authorization headers it received. */
async function headersSent(options: BasicOptions, requests = 1): Promise<{headers: Array<string | undefined>; origin: Origin}> {
	const origin = await startOrigin();
	const {session} = await countingSession();
	const client = createAuthClient(session, {baseUrl: origin.url('/'), scheme: basic(options), retry: 0});
	for (let index = 0; index < requests; index++) {
		await client.get('resource');
	}
	return {headers: origin.seen.map(seen => seen.headers.authorization), origin};
}

function decoded(header: string | undefined): string {
	return Buffer.from(header?.replace(/^Basic /, '') ?? '', 'base64').toString('utf8');
}

describe('basic() (RFC 7617), as received by a real server', () => {
	it('RFC 7617 §2.1\'s UTF-8 example: test / 123£ is "Basic dGVzdDoxMjPCow=="', async () => {
		const {headers} = await headersSent({username: 'test', password: '123£'});
		expect(headers).toEqual(['Basic dGVzdDoxMjPCow==']);
	});

	it('RFC 7617 §2\'s example: Aladdin / open sesame is "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="', async () => {
		const {headers} = await headersSent({username: 'Aladdin', password: 'open sesame'});
		expect(headers).toEqual(['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==']);
	});

	it('NFC: a decomposed é (e + U+0301) gives the same header as the precomposed one (U+00E9), in the password and the username', async () => {
		const precomposed = await headersSent({username: 'Ren\u00E9', password: 'caf\u00E9'});
		const decomposed = await headersSent({username: 'Rene\u0301', password: 'cafe\u0301'});
		expect(decomposed.headers).toEqual(precomposed.headers);
		expect(decoded(precomposed.headers[0])).toBe('Ren\u00E9:caf\u00E9');
	});

	it('characters outside Latin-1 travel as UTF-8 (base64 keeps the header ASCII)', async () => {
		const {headers} = await headersSent({username: 'ü', password: '密码🔑'});
		expect(headers[0]).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
		expect(decoded(headers[0])).toBe('ü:密码🔑');
	});

	it('a password function is called for every request: a rotated password is sent at once', async () => {
		const passwords = ['first-pw', 'second-pw'];
		let calls = 0;
		const {headers} = await headersSent({username: 'svc', password: () => passwords[calls++] ?? 'none'}, 2);
		expect(calls).toBe(2);
		expect(headers.map(decoded)).toEqual(['svc:first-pw', 'svc:second-pw']);
	});

	it('a 401 is final: an AuthenticationError, no refresh, sent once; a 403 is a PermissionError', async () => {
		const origin = await startOrigin();
		origin.reply = (request, response) => {
			if (request.url.pathname === '/denied') {
				answer(response, 401, {}, {'www-authenticate': 'Basic realm="api", charset="UTF-8"'});
			} else if (request.url.pathname === '/forbidden') {
				answer(response, 403, {});
			} else {
				ok(request, response);
			}
		};
		const {session, refreshes} = await countingSession();
		const client = createAuthClient(session, {baseUrl: origin.url('/'), scheme: basic({username: 'u', password: 'p-SECRET-1'}), retry: 0});

		await expect(client.get('denied')).rejects.toBeInstanceOf(AuthenticationError);
		await expect(client.get('forbidden')).rejects.toBeInstanceOf(PermissionError);
		expect(origin.seen.map(seen => seen.url.pathname)).toEqual(['/denied', '/forbidden']);
		expect(refreshes).toHaveLength(0);
	});
});

describe('basic() refuses what RFC 7617 forbids, without echoing the password', () => {
	it('a username with ":" is a TypeError "expected …, got …"', () => {
		expect(() => basic({username: 'al:ice', password: 'pw'})).toThrow(TypeError);
		expect(() => basic({username: 'al:ice', password: 'pw'})).toThrow(/^basic: options\.username: expected .+, got /);
	});

	it.each([
		['NUL', 'before\u0000SECRET-after-nul'],
		['line feed', 'before\nSECRET-after-lf'],
		['carriage return', 'before\rSECRET-after-cr'],
		['DEL', 'before\u007FSECRET-after-del'],
	])('a password with a control character (%s): TypeError, and no part of the password in it', (_name, password) => {
		let error: unknown;
		try {
			basic({username: 'user', password});
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(TypeError);
		const shown = `${(error as Error).message} ${inspect(error)}`;
		expect(shown).toMatch(/expected .+, got /);
		expect(shown).not.toContain('SECRET');
		expect(shown).not.toContain('before');
	});

	it('a password function giving a control character: the request rejects with a TypeError without it, and nothing is sent', async () => {
		const origin = await startOrigin();
		const {session} = await countingSession();
		const client = createAuthClient(session, {baseUrl: origin.url('/'), scheme: basic({username: 'user', password: () => 'rotated\nSECRET-pw'}), retry: 0});

		const error = await client.get('resource').catch((caught: unknown) => caught);

		expect(error).toBeInstanceOf(TypeError);
		expect(`${(error as Error).message} ${inspect(error)}`).not.toContain('SECRET');
		expect(origin.seen).toHaveLength(0);
	});
});
