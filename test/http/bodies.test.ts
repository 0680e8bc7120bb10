import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createAuthClient, createAuthFetch, createAuthSession, memoryStore} from '../../src/index.js';
import {serverRefresh, startApiServer, type ApiServer} from '../helpers/api-server.js';

let server: ApiServer;

beforeAll(async () => {
	server = await startApiServer();
});

afterAll(async () => {
	await server.close();
});

async function revokedSession() {
	const session = createAuthSession({store: memoryStore(), refresh: serverRefresh(server)});
	await session.signIn({accessToken: server.issue(), refreshToken: 'r', expiresIn: 300});
	server.revokeAll();
	return session;
}

function form(): FormData {
	const data = new FormData();
	data.append('name', 'ada');
	data.append('file', new Blob(['file-contents'], {type: 'text/plain'}), 'a.txt');
	return data;
}

const bodies: Array<[string, () => BodyInit, (body: string, contentType: string | undefined) => void]> = [
	['text', () => 'plain text ✓', body => expect(body).toBe('plain text ✓')],
	['URLSearchParams', () => new URLSearchParams({a: '1', b: 'two words'}), (body, type) => {
		expect(body).toBe('a=1&b=two+words');
		expect(type).toContain('application/x-www-form-urlencoded');
	}],
	['Blob', () => new Blob([new Uint8Array([1, 2, 3, 250])], {type: 'application/octet-stream'}), (body, type) => {
		expect(Buffer.from(body, 'utf8').length).toBeGreaterThan(0);
		expect(type).toBe('application/octet-stream');
	}],
	['FormData', form, (body, type) => {
		expect(type).toMatch(/^multipart\/form-data; boundary=/);
		expect(body).toContain('name="name"');
		expect(body).toContain('file-contents');
	}],
];

describe('retries carry the identical body for every method', () => {
	for (const method of ['post', 'put', 'patch', 'delete'] as const) {
		for (const retry of [0, undefined, {limit: 4, statusCodes: [401, 500]}]) {
			it(`${method.toUpperCase()} with JSON, retry ${JSON.stringify(retry)}`, async () => {
				const session = await revokedSession();
				const client = createAuthClient(session, {baseUrl: server.url, ...(retry === undefined ? {} : {retry})});
				const before = server.seen.length;
				const result = await client[method]('echo', {json: {method, nested: {list: [1, 2, 3]}}}).json<{body: string}>();
				expect(JSON.parse(result.body)).toEqual({method, nested: {list: [1, 2, 3]}});
				const attempts = server.seen.slice(before);
				expect(attempts).toHaveLength(2);
				expect(attempts[0]?.body).toBe(attempts[1]?.body);
				expect(attempts[0]?.authorization).not.toBe(attempts[1]?.authorization);
			});
		}
	}

	for (const [name, make, check] of bodies) {
		it(`ky client: ${name} body is sent identically on the retry`, async () => {
			const session = await revokedSession();
			const before = server.seen.length;
			await createAuthClient(session, {baseUrl: server.url, retry: 0}).post('echo', {body: make()});
			const [first, second] = server.seen.slice(before);
			expect(second?.body).toBe(first?.body);
			expect(second?.contentType).toBe(first?.contentType);
			check(second!.body, second!.contentType);
		});

		it(`fetch adapter: ${name} body is sent identically on the retry`, async () => {
			const session = await revokedSession();
			const before = server.seen.length;
			const response = await createAuthFetch(session, {baseUrl: server.url})(`${server.origin}/echo`, {method: 'POST', body: make()});
			expect(response.status).toBe(200);
			const [first, second] = server.seen.slice(before);
			expect(second?.body).toBe(first?.body);
			expect(second?.contentType).toBe(first?.contentType);
			check(second!.body, second!.contentType);
		});
	}

	it('a streamed body (duplex half) is replayed too', async () => {
		const session = await revokedSession();
		const before = server.seen.length;
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('chunk-1;'));
				controller.enqueue(new TextEncoder().encode('chunk-2'));
				controller.close();
			},
		});
		const response = await createAuthFetch(session, {baseUrl: server.url})(`${server.origin}/echo`, {method: 'POST', body: stream, duplex: 'half'} as RequestInit);
		expect(response.status).toBe(200);
		expect(server.seen.slice(before).map(entry => entry.body)).toEqual(['chunk-1;chunk-2', 'chunk-1;chunk-2']);
	});
});

describe("ky's own retries", () => {
	it('a 503 retried by ky carries the current token, and a later 401 is still retried once', async () => {
		const session = createAuthSession({refresh: serverRefresh(server)});
		await session.signIn({accessToken: server.issue()});
		const before = server.seen.length;
		const client = createAuthClient(session, {baseUrl: server.url, retry: {limit: 2, methods: ['post'], delay: () => 0}});
		const result = await client.post('flaky', {json: {x: 1}}).json<{body: string}>();
		expect(JSON.parse(result.body)).toEqual({x: 1});
		const attempts = server.seen.slice(before);
		expect(attempts).toHaveLength(2);
		expect(attempts[0]?.authorization).toBe(attempts[1]?.authorization);
	});
});

describe('redirects', () => {
	it('a redirect to another origin does not carry the token', async () => {
		const session = createAuthSession();
		await session.signIn({accessToken: server.issue()});
		const before = server.seen.length;
		const response = await createAuthFetch(session, {baseUrl: server.url})(`${server.origin}/redirect-away`);
		const [first, second] = server.seen.slice(before);
		expect(first?.path).toBe('/redirect-away');
		expect(first?.authorization).toMatch(/^Bearer at-/);
		expect(second?.path).toBe('/echo');
		expect(second?.authorization).toBeUndefined();
		expect(response.status).toBe(401);
	});
});
