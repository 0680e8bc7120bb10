interface LockInfoLike {
	name?: string;
}

interface PresenceLocks {
	request(name: string, options: {mode: 'exclusive'}, task: () => Promise<void>): Promise<void>;
	query(): Promise<{held?: LockInfoLike[]; pending?: LockInfoLike[]}>;
}

/** `navigator.locks` where the page may use it (`isSecureContext`) and it can be queried, else `undefined`. */
function presenceLocks(): PresenceLocks | undefined {
	const scope = globalThis as {isSecureContext?: boolean; navigator?: {locks?: PresenceLocks}};
	const locks = scope.navigator?.locks;
	return scope.isSecureContext === true && typeof locks?.request === 'function' && typeof locks.query === 'function' ? locks : undefined;
}

/**
 * Which tabs hold a copy of a shared record, known exactly through Web Locks: each tab holds a lock named
 * `<prefix><its id>` while it holds a copy, and the browser releases it when the tab closes or crashes. So a
 * tab that asks the others waits for exactly the live ones (none: it needs not wait at all).
 */
export class TabPresence {
	readonly #locks: PresenceLocks;
	readonly #prefix: string;
	#release: (() => void) | undefined;

	private constructor(locks: PresenceLocks, prefix: string) {
		this.#locks = locks;
		this.#prefix = prefix;
	}

	/** A presence for lock names starting with `prefix`, or `undefined` without usable Web Locks. */
	static create(prefix: string): TabPresence | undefined {
		const locks = presenceLocks();
		return locks && new TabPresence(locks, prefix);
	}

	/** Announces this tab (`id`) as holding a copy, until {@link leave}. */
	join(id: string): void {
		this.leave();
		const held = new Promise<void>(resolve => {
			this.#release = resolve;
		});
		this.#locks.request(`${this.#prefix}${id}`, {mode: 'exclusive'}, async () => held).catch(() => undefined);
	}

	/** Stops announcing this tab. */
	leave(): void {
		this.#release?.();
		this.#release = undefined;
	}

	/** The ids of the other tabs holding a copy now; `undefined` when the browser does not say. */
	async others(self: string): Promise<Set<string> | undefined> {
		try {
			const {held = [], pending = []} = await this.#locks.query();
			const ids = new Set<string>();
			for (const {name} of [...held, ...pending]) {
				if (name?.startsWith(this.#prefix)) {
					ids.add(name.slice(this.#prefix.length));
				}
			}
			ids.delete(self);
			return ids;
		} catch {
			return undefined;
		}
	}
}
