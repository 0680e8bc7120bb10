import {createServerClock, type ServerClock} from './clock.js';
import {createNonceSource, type NonceSource} from './nonces.js';
import {createReplayStore, type ReplayStore} from './replay-store.js';
import {defaultAlgorithms, defaultIatWindowSeconds} from './verify-proof.js';

/** How strict a server is with proofs (shared by the resource and token servers). */
export interface ProofPolicyOptions {
	/** Milliseconds the server's clock is ahead of the machine's (negative: behind). Default 0. */
	clockOffsetMs?: number;
	/** Seconds a proof's `iat` may be off the server's clock, either way. Default 60. */
	iatWindowSeconds?: number;
	/** Whether proofs must carry the server's current nonce (RFC 9449 §8, §9). Default false. */
	requireNonce?: boolean;
	/** The first nonce when nonces are required (random when absent). */
	initialNonce?: string;
	/** Accepted `alg` values. Default ES256, EdDSA, RS256, PS256. */
	algorithms?: readonly string[];
}

/** A server's proof-checking state: its clock, nonce (when required), replay store and limits. */
export interface ProofPolicy {
	readonly clock: ServerClock;
	readonly iatWindowSeconds: number;
	readonly algorithms: readonly string[];
	readonly nonce: NonceSource | undefined;
	readonly replay: ReplayStore;
}

const symmetric = /^(HS|none)/i;

/** Validates `options` (TypeError naming the option, what was expected and what was got) and builds the state. */
export function createProofPolicy(where: string, options: ProofPolicyOptions): ProofPolicy {
	const window = options.iatWindowSeconds ?? defaultIatWindowSeconds;
	if (typeof window !== 'number' || !(window > 0) || !Number.isFinite(window)) {
		throw new TypeError(`${where}: options.iatWindowSeconds: expected a positive number of seconds, got ${String(window)}`);
	}
	const algorithms = options.algorithms ?? defaultAlgorithms;
	if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some(alg => typeof alg !== 'string' || symmetric.test(alg))) {
		throw new TypeError(`${where}: options.algorithms: expected a non-empty list of asymmetric JWS algorithms, got ${JSON.stringify(algorithms)}`);
	}
	if (options.requireNonce !== undefined && typeof options.requireNonce !== 'boolean') {
		throw new TypeError(`${where}: options.requireNonce: expected a boolean, got ${typeof options.requireNonce}`);
	}
	return {
		clock: createServerClock(options.clockOffsetMs ?? 0),
		iatWindowSeconds: window,
		algorithms,
		nonce: options.requireNonce === true ? createNonceSource(options.initialNonce) : undefined,
		replay: createReplayStore(),
	};
}

/** The nonce and clock controls both servers give tests. */
export interface PolicyControls {
	/** The nonce proofs must carry now; `undefined` when nonces are off. */
	readonly nonce: string | undefined;
	/** Sets the nonce (throws when nonces are off). */
	setNonce(nonce: string): void;
	/** Replaces the nonce with a fresh one and returns it (throws when nonces are off). */
	rotateNonce(): string;
	/** The server's clock in milliseconds (`Date.now() + clockOffsetMs`). */
	now(): number;
	setClockOffset(offsetMs: number): void;
}

/** The controls of `policy`; `nonces` gives its nonce source or throws when nonces are off. */
export function policyControls(policy: ProofPolicy, nonces: () => NonceSource): PolicyControls {
	return {
		get nonce() {
			return policy.nonce?.current;
		},
		setNonce: nonce => nonces().set(nonce),
		rotateNonce: () => nonces().rotate(),
		now: () => policy.clock.now(),
		setClockOffset: offsetMs => policy.clock.setOffset(offsetMs),
	};
}
