import {acquireScript, compareAndSetScript, releaseScript, renewScript, setScript, swapScript} from './lua.js';

/** A Lua script and its SHA-1, for `EVALSHA`. */
export interface LuaScript {
	/** What error messages call it: `compareAndSet`, `lock`… */
	readonly name: string;
	readonly source: string;
	/** The SHA-1 of `source` in hex, computed once (Web Crypto: no Node-only import). */
	sha(): Promise<string>;
}

function script(name: string, source: string): LuaScript {
	let sha: Promise<string> | undefined;
	return {
		name,
		source,
		sha() {
			sha ??= crypto.subtle.digest('SHA-1', new TextEncoder().encode(source)).then(digest =>
				[...new Uint8Array(digest)].map(byte => byte.toString(16).padStart(2, '0')).join(''));
			return sha;
		},
	};
}

/** The store's scripts (sources and what they reply: lua.ts). */
export const scripts = {
	compareAndSet: script('compareAndSet', compareAndSetScript),
	swap: script('compareAndSet', swapScript),
	set: script('set', setScript),
	acquire: script('lock', acquireScript),
	release: script('unlock', releaseScript),
	renew: script('lock renewal', renewScript),
} as const;
