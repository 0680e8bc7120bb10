import {describeValue} from '../utils/describe.js';

/** The longest summary a message gets, in characters (an ellipsis marks a cut). */
export const maxSummaryLength = 200;

/** How many levels of nested causes and aggregated errors a summary follows (`TypeError: fetch failed (caused by: connect ECONNREFUSED …)`). */
const maxDepth = 2;

/** The first line of `text`, with control characters and runs of spaces collapsed. */
function firstLine(text: string): string {
	return (text.split(/\r\n|[\n\r\u2028\u2029]/, 1)[0] ?? '').replaceAll(/[\p{Cc}\s]+/gu, ' ').trim();
}

function cut(text: string, length: number): string {
	return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function errorName(error: Error): string {
	try {
		return typeof error.name === 'string' ? firstLine(error.name) : 'Error';
	} catch {
		return 'Error';
	}
}

function errorMessage(error: Error): string {
	try {
		return typeof error.message === 'string' ? firstLine(error.message) : '';
	} catch {
		return '';
	}
}

function nestedCause(error: Error): unknown {
	try {
		return error.cause;
	} catch {
		return undefined;
	}
}

/** Whether `value` is an Error, also from another realm (an iframe, a `vm` context). */
export function isError(value: unknown): value is Error {
	return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function summarizeOne(value: unknown, depth: number): string {
	if (typeof value === 'string') {
		return firstLine(value) || 'an empty string';
	}
	if (!isError(value)) {
		return `a non-Error value was thrown: ${describeValue(value)}`;
	}
	const name = errorName(value);
	const message = errorMessage(value);
	// A plain `Error` is summarised by its message alone: "token endpoint answered 503".
	let text = message === '' ? name : (name === 'Error' || name === '' ? message : `${name}: ${message}`);
	if (depth >= maxDepth) {
		return text;
	}
	const errors: unknown = value instanceof AggregateError ? value.errors : undefined;
	if (Array.isArray(errors)) {
		text += errors.length === 0 ? ' (no errors)' : ` (${errors.length} error${errors.length === 1 ? '' : 's'}, the first: ${summarizeOne(errors[0], depth + 1)})`;
	}
	const cause = nestedCause(value);
	if (cause !== undefined) {
		text += ` (caused by: ${summarizeOne(cause, depth + 1)})`;
	}
	return text;
}

/**
 * A one-line summary of an error for another error's message: `TypeError: fetch failed`,
 * `token endpoint answered 503` (a plain `Error` gives its message alone), with nested causes and
 * an `AggregateError`'s first error in parentheses (two levels deep) and at most {@link maxSummaryLength} characters. `undefined` for `undefined`.
 * It shows what `cause` says: redact the cause first when it may mention a token.
 */
export function summarizeCause(cause: unknown): string | undefined {
	return cause === undefined ? undefined : cut(summarizeOne(cause, 0), maxSummaryLength);
}
