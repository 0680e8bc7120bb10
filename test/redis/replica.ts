// One replica of a service, run as its own Node process by replicas.test.ts (bundled with esbuild): a session on
// a shared Redis store (or its own memory store), and a burst of concurrent API requests per round.
import {Redis} from 'ioredis';
import {createClient} from 'redis';
import {createAuthFetch, createAuthSession, memoryStore, type TokenSet, type TokenStore} from '../../src/index.js';
import {redisStore} from '../../src/redis/index.js';

/** What the parent sends once: how this replica is set up. */
export interface ReplicaSetup {
	type: 'setup';
	index: number;
	origin: string;
	/** A shared Redis store (through ioredis or node-redis), or a memory store signed in with `tokens`. */
	store: {kind: 'redis'; port: number; library: 'ioredis' | 'node-redis'; key: string; lockTtl: number} | {kind: 'memory'; tokens: TokenSet};
}

/** What the parent sends each round: move the clock by `offset` ms (every token expires at once), then fire `requests` requests. */
export interface ReplicaRound {
	type: 'round';
	offset: number;
	requests: number;
}

/** What a replica answers. */
export type ReplicaReply =
	| {type: 'ready'}
	| {type: 'done'; ok: number; failed: number; errors: string[]};

const send = (reply: ReplicaReply): void => {
	process.send?.(reply);
};

/** An error with its chain of causes (`TypeError: fetch failed` says nothing without its cause). */
function describe(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current !== undefined; depth++) {
		if (current instanceof Error) {
			const code = 'code' in current && typeof current.code === 'string' ? ` [${current.code}]` : '';
			parts.push(`${current.name}: ${current.message}${code}`);
			current = current.cause;
		} else {
			parts.push(typeof current === 'string' ? current : typeof current);
			current = undefined;
		}
	}
	return parts.join(' <- ');
}

let offset = 0;
let run: ((requests: number) => Promise<ReplicaReply>) | undefined;

async function storeFor(setup: ReplicaSetup['store']): Promise<TokenStore> {
	if (setup.kind === 'memory') {
		return memoryStore();
	}
	const {port, library, key, lockTtl} = setup;
	if (library === 'ioredis') {
		const client = new Redis({host: '127.0.0.1', port, lazyConnect: true});
		await client.connect();
		return redisStore({client, key, lockTtl});
	}
	const client = createClient({url: `redis://127.0.0.1:${port}`});
	client.on('error', () => undefined);
	await client.connect();
	return redisStore({client, key, lockTtl});
}

async function setUp({index, origin, store: storeSetup}: ReplicaSetup): Promise<void> {
	const store = await storeFor(storeSetup);
	const session = createAuthSession({
		store,
		now: () => Date.now() + offset,
		refresh: async ({tokens, signal}) => {
			const response = await fetch(`${origin}/token`, {
				method: 'POST',
				headers: {'content-type': 'application/json', 'x-replica': String(index)},
				body: JSON.stringify({refreshToken: tokens?.refreshToken}),
				signal,
			});
			if (!response.ok) {
				throw new Error(`token endpoint answered ${response.status}`);
			}
			const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
			return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
		},
	});
	if (storeSetup.kind === 'memory') {
		await session.signIn(storeSetup.tokens);
	}
	const authFetch = createAuthFetch(session, {allowedOrigins: [origin]});
	run = async requests => {
		const outcomes = await Promise.allSettled(Array.from({length: requests}, async () => {
			const response = await authFetch(`${origin}/api`);
			await response.arrayBuffer();
			if (!response.ok) {
				throw new Error(`API answered ${response.status}`);
			}
		}));
		const errors = outcomes.flatMap(outcome => outcome.status === 'rejected' ? [describe(outcome.reason)] : []);
		return {type: 'done', ok: requests - errors.length, failed: errors.length, errors: [...new Set(errors)].slice(0, 5)};
	};
}

process.on('message', (message: ReplicaSetup | ReplicaRound) => {
	if (message.type === 'setup') {
		setUp(message).then(() => send({type: 'ready'}), (error: unknown) => {
			throw error;
		});
		return;
	}
	offset = message.offset;
	if (run) {
		run(message.requests).then(send, (error: unknown) => {
			throw error;
		});
	}
});
