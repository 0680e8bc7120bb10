import {redactError} from '../redact/redact.js';

/** The longest server-provided text (an `error_description`) a message repeats. */
const maxLength = 200;

/**
 * Server-provided text made fit for an error message: its first line, control characters removed, cut at
 * 200 characters, and every spelling of the secrets replaced by `[REDACTED]`.
 */
export function safeText(text: string, secrets: readonly string[]): string {
	const line = (text.split(/\r\n|[\n\r\u2028\u2029]/, 1)[0] ?? '').replaceAll(/[\p{Cc}\s]+/gu, ' ').trim();
	const cut = line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
	const redacted = redactError(cut, secrets);
	return typeof redacted === 'string' ? redacted : '';
}

/** The token endpoint as messages name it: origin and path, never a query (which could carry anything). */
export function endpointName(url: URL): string {
	return `${url.origin}${url.pathname}`;
}
