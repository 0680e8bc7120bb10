import type {TokenRecord} from '../types/store.js';
import {newRecordId} from '../record/record.js';
import {type Copy, emptyCopy, encode, isNewer, type Message, readMessage} from './shared-memory-protocol.js';
import type {TabPresence} from './tab-presence.js';
import {AnswerRounds} from './answer-rounds.js';

/** What a {@link Replica} needs. */
export interface ReplicaOptions {
	/** The `BroadcastChannel` shared by every tab holding a copy of the same record. */
	channelName: string;
	/** Milliseconds to wait for the other tabs' answers to one message. */
	answerTimeout: number;
	/** Tells which tabs hold a copy (Web Locks); without it, the tabs heard from are waited for. */
	presence: TabPresence | undefined;
	/** Called when another tab's write changed this tab's copy (after the first join). */
	changed: () => void;
}

interface PageEvents {
	addEventListener?: (type: 'pagehide', listener: () => void) => void;
	removeEventListener?: (type: 'pagehide', listener: () => void) => void;
}

const page = globalThis as PageEvents;

/**
 * One tab's copy of a record shared by the open tabs of an origin, over a `BroadcastChannel`. The copy
 * lives only in this tab's memory. Joining asks the open tabs for theirs and keeps the newest (by
 * {@link Copy.stamp}); every write is sent to them, and every tab answers every `ask` and `write` with its
 * copy, so {@link sync} and {@link publish} can wait until each open tab has answered (bounded by
 * `answerTimeout`). Leaving (on `pagehide`, or when the store has no listener left) says `bye` and closes
 * the channel; the copy is kept, and the next {@link join} merges it with the open tabs' copies.
 */
export class Replica {
	/** This copy's random id (messages are addressed by it). */
	readonly id = newRecordId();
	readonly #options: ReplicaOptions;
	#copy: Copy = emptyCopy;
	#channel: BroadcastChannel | undefined;
	#joining: Promise<void> | undefined;
	#joined = false;
	#everJoined = false;
	/** Tabs heard from: whom to wait for where Web Locks cannot tell who is open. */
	readonly #peers = new Set<string>();
	readonly #rounds = new AnswerRounds();
	readonly #onPageHide = (): void => {
		this.leave();
	};

	constructor(options: ReplicaOptions) {
		this.#options = options;
	}

	/** This tab's copy of the record. */
	get record(): TokenRecord | null {
		return this.#copy.record;
	}

	/**
	 * Opens the channel and asks the open tabs for their copies, keeping the newest. Resolves once every
	 * open tab answered (at once when none is open; after `answerTimeout` at most). `undefined` when joined.
	 */
	join(): Promise<void> | undefined {
		if (this.#joined) {
			return undefined;
		}
		if (this.#joining) {
			return this.#joining;
		}
		const channel = this.#open();
		const before = this.#copy.record;
		const rejoining = this.#everJoined;
		this.#joining = this.#roundTrip(nonce => ({kind: 'ask', from: this.id, nonce})).then(() => {
			if (this.#channel !== channel) {
				return;
			}
			this.#joined = true;
			this.#everJoined = true;
			if (rejoining && this.#copy.record !== before) {
				this.#options.changed();
			}
		}).finally(() => {
			this.#joining = undefined;
		});
		return this.#joining;
	}

	/** Stops holding a copy for the others: says `bye` and closes the channel. The copy itself is kept. */
	leave(): void {
		const channel = this.#channel;
		if (!channel) {
			return;
		}
		this.#channel = undefined;
		this.#joined = false;
		this.#options.presence?.leave();
		page.removeEventListener?.('pagehide', this.#onPageHide);
		channel.postMessage(encode({kind: 'bye', from: this.id}));
		channel.close();
		this.#peers.clear();
		this.#rounds.endAll();
	}

	/** Asks every open tab for its copy and keeps the newest; resolves once each answered (or `answerTimeout`). */
	async sync(): Promise<void> {
		await this.#roundTrip(nonce => ({kind: 'ask', from: this.id, nonce}));
	}

	/**
	 * Makes `record` the newest write (one above the newest stamp this tab knows) and sends it to the open
	 * tabs; with `acknowledged`, resolves once every open tab has answered (has taken it), or after `answerTimeout`.
	 */
	async publish(record: TokenRecord | null, acknowledged: boolean): Promise<void> {
		const copy: Copy = {record, stamp: {seq: this.#copy.stamp.seq + 1, writer: this.id}};
		this.#copy = copy;
		if (acknowledged) {
			await this.#roundTrip(nonce => ({kind: 'write', from: this.id, nonce, copy}));
		} else {
			this.#channel?.postMessage(encode({kind: 'write', from: this.id, nonce: newRecordId(), copy}));
		}
	}

	#open(): BroadcastChannel {
		if (this.#channel) {
			return this.#channel;
		}
		const channel = new BroadcastChannel(this.#options.channelName);
		channel.onmessage = (event: MessageEvent) => {
			this.#receive(channel, event.data);
		};
		this.#channel = channel;
		this.#options.presence?.join(this.id);
		page.addEventListener?.('pagehide', this.#onPageHide);
		return channel;
	}

	/** Posts the message `make(nonce)` and waits until every open tab has answered it, or `answerTimeout`. */
	async #roundTrip(make: (nonce: string) => Message): Promise<void> {
		const channel = this.#channel;
		if (!channel) {
			return;
		}
		const waiting = await this.#whoAnswers();
		if (this.#channel !== channel) {
			return;
		}
		const nonce = newRecordId();
		try {
			await this.#rounds.wait(nonce, waiting, this.#options.answerTimeout, () => {
				channel.postMessage(encode(make(nonce)));
			});
		} finally {
			// A tab that did not answer in time is not waited for again until it speaks.
			for (const silent of waiting ?? []) {
				this.#peers.delete(silent);
			}
		}
	}

	/** The tabs to wait for: those Web Locks say are open, else those heard from (unknown while joining). */
	async #whoAnswers(): Promise<Set<string> | undefined> {
		const open = await this.#options.presence?.others(this.id);
		if (open) {
			return open;
		}
		return this.#joined ? new Set(this.#peers) : undefined;
	}

	#receive(channel: BroadcastChannel, data: unknown): void {
		const message = readMessage(data);
		if (!message || message.from === this.id) {
			return;
		}
		if (message.kind === 'bye') {
			this.#peers.delete(message.from);
			this.#rounds.answered(message.from);
			return;
		}
		this.#peers.add(message.from);
		if (message.kind === 'answer') {
			if (message.to === this.id) {
				this.#merge(message.copy);
				this.#rounds.answered(message.from, message.nonce);
			}
			return;
		}
		if (message.kind === 'write') {
			this.#merge(message.copy);
		}
		channel.postMessage(encode({kind: 'answer', from: this.id, to: message.from, nonce: message.nonce, copy: this.#copy}));
	}

	/** Keeps `copy` when it is a newer write than this tab's; tells the store once joined. */
	#merge(copy: Copy): void {
		if (!isNewer(copy.stamp, this.#copy.stamp)) {
			return;
		}
		this.#copy = copy;
		if (this.#joined) {
			this.#options.changed();
		}
	}
}
