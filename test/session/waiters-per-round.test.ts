import {describe, expect, it} from 'vitest';
import {createAuthSession} from '../../src/index.js';

describe('requests waiting for refreshes, round after round', () => {
	it('25 requests that got a 401 share one refresh each round for 10 rounds, and nothing warns', async () => {
		const warnings: string[] = [];
		const onWarning = (warning: Error): void => {
			warnings.push(warning.name);
		};
		process.on('warning', onWarning);
		try {
			let issued = 0;
			const session = createAuthSession({refresh: async () => ({accessToken: `a${++issued}`})});
			await session.signIn({accessToken: 'a0'});
			for (let round = 0; round < 10; round++) {
				const current = await session.getAccessToken();
				const grant = await session.credentials.acquire();
				expect(grant.kind === 'token' && grant.token).toBe(current);
				if (grant.kind !== 'token') {
					throw new Error('expected a token');
				}
				// 25 requests that all got a 401 for the current token wait for one refresh.
				const results = await Promise.all(Array.from({length: 25}, async () => session.credentials.rejected(grant)));
				expect(new Set(results.map(result => result.kind === 'token' && result.token))).toEqual(new Set([`a${round + 1}`]));
			}
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			expect(issued).toBe(10);
			expect(warnings).toEqual([]);
		} finally {
			process.off('warning', onWarning);
		}
	});
});
