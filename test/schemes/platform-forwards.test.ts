import {afterEach, describe, expect, it} from 'vitest';
import {headerKey} from './cases.js';
import {closeOrigins, redirect, startOrigin} from './origins.js';

afterEach(closeOrigins);

// The platform fact the per-hop following of API keys exists for. This test uses no ky-auth at all: it is
// expected to pass, and documents what Node's own fetch does on a cross-origin redirect.
describe('Node\'s fetch on a cross-origin redirect (no ky-auth)', () => {
	it('forwards X-API-Key to origin B; drops only Authorization', async () => {
		const a = await startOrigin();
		const b = await startOrigin({watched: true});
		a.reply = (_request, response) => {
			redirect(response, 302, b.url('/landing'));
		};

		const response = await fetch(a.url('/start'), {headers: {'x-api-key': headerKey, authorization: 'Bearer some-token'}, redirect: 'follow'});

		expect(response.status).toBe(200);
		expect(a.seen[0]?.headers['x-api-key']).toBe(headerKey);
		expect(a.seen[0]?.headers.authorization).toBe('Bearer some-token');
		expect(b.seen).toHaveLength(1);
		expect(b.seen[0]?.headers['x-api-key']).toBe(headerKey);
		expect(b.heads()[0]).toContain(headerKey);
		expect(b.seen[0]?.headers.authorization).toBeUndefined();
	});
});
