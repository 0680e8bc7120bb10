import type {TokenRecord} from '../types/store.js';
import {isRecord} from '../utils/validate.js';
import {readRecord} from '../record/record.js';

/**
 * Where a write stands in the order of every write to one shared record: a higher `seq` is newer, and
 * `writer` (the writing tab's random id) breaks a tie. Writes are serialised by the store's write lock and
 * each takes `seq` one above the highest any open tab knows, so with the lock they never tie.
 */
export interface Stamp {
	readonly seq: number;
	readonly writer: string;
}

/** One tab's copy of the shared record, with the stamp of the write that put it there. */
export interface Copy {
	readonly record: TokenRecord | null;
	readonly stamp: Stamp;
}

/** The copy of a tab that has heard of no write yet: older than any write. */
export const emptyCopy: Copy = {record: null, stamp: {seq: 0, writer: ''}};

/** Whether `a` is a newer write than `b`. */
export function isNewer(a: Stamp, b: Stamp): boolean {
	return a.seq !== b.seq ? a.seq > b.seq : a.writer > b.writer;
}

/** Tags every message, so a channel shared with anything else (or a later protocol) is ignored. */
const protocol = 'ky-auth/shared-memory/1';

/**
 * What the tabs of one shared record say to each other on its `BroadcastChannel`:
 * - `ask`: "send me your copy" (a tab joining, or a tab about to read inside the lock or write).
 * - `write`: "take this copy" (a sign-in, sign-out or committed refresh), to be answered like an ask.
 * - `answer`: a tab's copy after handling the `ask` or `write` with the same `nonce` (also an acknowledgement).
 * - `bye`: the tab stops holding a copy (its page is hidden or nothing in it listens any more).
 */
export type Message =
	| {readonly kind: 'ask'; readonly from: string; readonly nonce: string}
	| {readonly kind: 'write'; readonly from: string; readonly nonce: string; readonly copy: Copy}
	| {readonly kind: 'answer'; readonly from: string; readonly to: string; readonly nonce: string; readonly copy: Copy}
	| {readonly kind: 'bye'; readonly from: string};

/** A message as posted: the message plus the protocol tag. */
export function encode(message: Message): Message & {protocol: string} {
	return {protocol, ...message};
}

function readStamp(value: unknown): Stamp | undefined {
	if (!isRecord(value) || typeof value.writer !== 'string') {
		return undefined;
	}
	const {seq} = value;
	return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? {seq, writer: value.writer} : undefined;
}

function readCopy(value: unknown): Copy | undefined {
	if (!isRecord(value)) {
		return undefined;
	}
	const stamp = readStamp(value.stamp);
	const record = value.record === null ? null : readRecord(value.record);
	// A record that does not read as one (another library version, a script on the page) is not a copy.
	return stamp && (value.record === null || record) ? {record, stamp} : undefined;
}

const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A received message, validated; `undefined` for anything that is not one (ignored by the tabs). */
export function readMessage(data: unknown): Message | undefined {
	if (!isRecord(data) || data.protocol !== protocol || !isId(data.from)) {
		return undefined;
	}
	const {kind, from, nonce} = data;
	if (kind === 'bye') {
		return {kind, from};
	}
	if (!isId(nonce)) {
		return undefined;
	}
	if (kind === 'ask') {
		return {kind, from, nonce};
	}
	const copy = readCopy(data.copy);
	if (!copy) {
		return undefined;
	}
	if (kind === 'write') {
		return {kind, from, nonce, copy};
	}
	return kind === 'answer' && isId(data.to) ? {kind, from, to: data.to, nonce, copy} : undefined;
}
