import type {TokenRecord, TokenRecordVersion} from '../../types/store.js';
import {matchesVersion} from '../../record/record.js';

/**
 * Whether the store is behind this holder: after a write of this holder failed, the version the store still
 * holds (what that write should have replaced). A stored record of that version is stale, not news.
 */
export class Behind {
	#version: TokenRecordVersion | undefined;

	/** The version the store still holds after a failed write of this holder, or `undefined` when it is in step. */
	get version(): TokenRecordVersion | undefined {
		return this.#version;
	}

	/** A write of this holder failed while the store held `version` (the first failure since in step counts). */
	failed(version: TokenRecordVersion): void {
		this.#version ??= version;
	}

	/** The store is in step again: a write of ours landed, or the store reported something newer. */
	caughtUp(): void {
		this.#version = undefined;
	}

	/** Whether `stored` is what a failed write of this holder should have replaced: stale, not news. */
	isStale(stored: TokenRecord | null): boolean {
		return this.#version !== undefined && matchesVersion(stored, this.#version);
	}
}
