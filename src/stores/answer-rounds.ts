/** One message waiting for answers: who still has to answer (`undefined`: unknown, wait the full time). */
interface Round {
	readonly waiting: Set<string> | undefined;
	readonly done: () => void;
}

/**
 * The messages a tab's replica waits to have answered by the other open tabs: a round ends when each tab it
 * waits for has answered (or said `bye`), when it times out, or when the replica leaves.
 */
export class AnswerRounds {
	readonly #rounds = new Map<string, Round>();

	/**
	 * Runs `post` and waits until every tab in `waiting` has answered the round `nonce` (at once when it is
	 * empty), or `timeout` ms; `undefined` waits the full time.
	 */
	async wait(nonce: string, waiting: Set<string> | undefined, timeout: number, post: () => void): Promise<void> {
		let done = (): void => undefined;
		const answered = new Promise<void>(resolve => {
			done = resolve;
		});
		this.#rounds.set(nonce, {waiting, done});
		const timer = setTimeout(done, timeout);
		try {
			post();
			if (waiting?.size === 0) {
				done();
			}
			await answered;
		} finally {
			clearTimeout(timer);
			this.#rounds.delete(nonce);
		}
	}

	/** `from` answered the round `nonce`, or, without a nonce (it said `bye`), every round. */
	answered(from: string, nonce?: string): void {
		const rounds = nonce === undefined ? [...this.#rounds.values()] : [this.#rounds.get(nonce)];
		for (const round of rounds) {
			round?.waiting?.delete(from);
			if (round?.waiting?.size === 0) {
				round.done();
			}
		}
	}

	/** Ends every round now (the replica left). */
	endAll(): void {
		for (const round of this.#rounds.values()) {
			round.done();
		}
	}
}
