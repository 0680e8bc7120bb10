import {dev, seeDocs} from '../utils/dev.js';
/**
 * A `WWW-Authenticate` field that does not parse (RFC 9110 §11.6.1), or that repeats a parameter
 * within one challenge. `position` is the offset of the problem in the combined field value.
 *
 * @example
 * ```ts
 * try { parseWWWAuthenticate('Basic realm="x'); } catch (error) { console.log(error.code, error.position); }
 * ```
 */
export class ChallengeParseError extends Error {
	override name = 'ChallengeParseError';
	/** Stable machine-readable reason. */
	readonly code = 'CHALLENGE_PARSE_ERROR';
	/** Offset in the combined field value where parsing stopped. */
	readonly position: number;

	constructor(message: string, position: number) {
		super(dev ? `Invalid WWW-Authenticate at ${position}: ${message}` : `${seeDocs('CHALLENGE_PARSE_ERROR')} (at ${position})`);
		this.position = position;
	}
}
