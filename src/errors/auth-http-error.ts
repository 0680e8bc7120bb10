import {HTTPError, type NormalizedOptions} from 'ky';
import type {Challenge} from '../challenge/challenge.js';
import {hideFields, kyErrorFields} from './hide.js';

/** What the typed HTTP errors are built from. */
export interface AuthHttpErrorInit {
	/** The final response; `Response.error()` (type `'error'`) when none was received. */
	response: Response;
	/** The request as the caller made it (never the copy that carried credentials). */
	request: Request;
	/** ky's normalized options, when the error came through a ky client. */
	options?: Readonly<NormalizedOptions>;
	/** Parsed `WWW-Authenticate` challenges of the response (`[]` when absent or unparseable). */
	challenges?: readonly Challenge[];
	/** Pre-parsed error body, as ky's `HTTPError.data`. */
	data?: unknown;
	/** Replaces ky's message. */
	message?: string;
	/** The error this one replaces. */
	cause?: unknown;
}

const noOptions: Readonly<NormalizedOptions> = Object.freeze({}) as Readonly<NormalizedOptions>;

/**
 * Shared base of {@link AuthenticationError} and {@link PermissionError}: a ky `HTTPError` whose
 * `request`, `response` and `options` are non-enumerable, so logging it does not dump them.
 */
export abstract class AuthHttpError extends HTTPError {
	/** Parsed `WWW-Authenticate` challenges (`[]` when absent or unparseable). */
	readonly challenges: readonly Challenge[];

	protected constructor(name: string, init: AuthHttpErrorInit) {
		super(init.response, init.request, init.options ?? noOptions);
		Object.defineProperty(this, 'name', {value: name, enumerable: true, configurable: true, writable: true});
		if (init.message !== undefined) {
			this.replaceMessage(init.message);
		}
		if (init.cause !== undefined) {
			Object.defineProperty(this, 'cause', {value: init.cause, enumerable: false, configurable: true, writable: true});
		}
		this.data = init.data;
		this.challenges = Object.freeze([...(init.challenges ?? [])]);
		hideFields(this, kyErrorFields);
	}

	/** Sets `message`, and the first line of `stack` to match. */
	protected replaceMessage(message: string): void {
		const stack = this.stack ?? '';
		const newline = stack.indexOf('\n');
		this.message = message;
		this.stack = `${this.name}: ${message}${newline === -1 ? '' : stack.slice(newline)}`;
	}
}
