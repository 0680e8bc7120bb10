import {describe, expect, it} from 'vitest';
import {challengesOf} from '../../src/challenge/from-response.js';
import {plain} from './support.js';

function response(...values: string[]): Response {
	const headers = new Headers();
	for (const value of values) {
		headers.append('WWW-Authenticate', value);
	}
	return new Response(null, {status: 401, headers});
}

describe('challengesOf', () => {
	it('gives [] when the header is absent', () => {
		expect(challengesOf(response())).toEqual([]);
		expect(challengesOf(new Response('ok'))).toEqual([]);
	});

	it('gives [] for an empty header', () => {
		expect(challengesOf(response(''))).toEqual([]);
	});

	it.each([
		'Basic realm="x',
		'Basic realm="foo", REALM="bar"',
		'error="invalid_token", Bearer',
		'Negotiate abc==, realm="x"',
		'Bearer realm="a\\\u007F"',
	])('treats the unparseable header %j as absent', value => {
		expect(challengesOf(response(value))).toEqual([]);
	});

	it('parses a valid header', () => {
		expect(plain(challengesOf(response('Bearer realm="api", error="insufficient_scope", scope="write"')))).toStrictEqual([
			{scheme: 'bearer', params: {realm: 'api', error: 'insufficient_scope', scope: 'write'}},
		]);
	});

	it('parses several header lines as one list', () => {
		expect(plain(challengesOf(response('Basic realm="simple"', 'Bearer error="invalid_token"', 'Negotiate YII=')))).toStrictEqual([
			{scheme: 'basic', params: {realm: 'simple'}},
			{scheme: 'bearer', params: {error: 'invalid_token'}},
			{scheme: 'negotiate', params: {}, token68: 'YII='},
		]);
	});

	it('reads the header case-insensitively and ignores Proxy-Authenticate', () => {
		const headers = new Headers({'www-authenticate': 'DPoP algs="ES256"', 'Proxy-Authenticate': 'Basic realm="proxy"'});
		expect(plain(challengesOf(new Response(null, {status: 401, headers})))).toStrictEqual([{scheme: 'dpop', params: {algs: 'ES256'}}]);
	});

	it('treats the whole field as absent when one line of several is unparseable', () => {
		expect(challengesOf(response('Basic realm="ok"', 'Bearer error="bad\u007F"'))).toEqual([]);
	});

	it('keeps obs-text (a Latin-1 byte) in a quoted value', () => {
		expect(plain(challengesOf(response('Basic realm="foo-\u00E4"')))).toStrictEqual([{scheme: 'basic', params: {realm: 'foo-\u00E4'}}]);
	});
});
