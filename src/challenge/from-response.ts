import type {Challenge} from './challenge.js';
import {parseWWWAuthenticate} from './parse-www-authenticate.js';

/**
 * The challenges of a response's `WWW-Authenticate` header; `[]` when the header is absent
 * or does not parse (an unparseable header is treated as absent).
 */
export function challengesOf(response: Response): Challenge[] {
	const header = response.headers.get('www-authenticate');
	if (header === null) {
		return [];
	}
	try {
		return parseWWWAuthenticate(header);
	} catch {
		return [];
	}
}
