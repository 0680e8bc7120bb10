import {dev, seeDocs} from '../utils/dev.js';
import {redactError} from '../redact/redact.js';
import {bounded} from '../utils/bounded.js';
import type {SchemeCredentials, SchemeField} from '../types/scheme.js';

/**
 * Requests that carry credentials right now, with the headers to take off each once its send settles (the ky
 * client scrubs one that ky gave up on while it was pending). A Map, not a listener or weak entry per request.
 */
export type InFlight = Map<Request, readonly SchemeField[]>;

/** Removes the credentials from a request whose send has not settled yet; a no-op for any other value. */
export function takeCredentialsOff(request: unknown, inFlight: InFlight): void {
	if (!(request instanceof Request)) {
		return;
	}
	const fields = inFlight.get(request);
	if (fields !== undefined) {
		inFlight.delete(request);
		for (const [name] of fields) {
			request.headers.delete(name);
		}
	}
}

/** Lets go of a body nobody will read (a response passed over, a spare copy not needed): cancelled, not awaited. */
export function discard(message: {readonly body: ReadableStream | null} | undefined): void {
	message?.body?.cancel().catch(() => undefined);
}

/**
 * A copy of `request` to `url`, body included (read once: a platform's streamed upload may need HTTP/2). Reading
 * the body ends when the request's signal aborts, whether or not the body ever ends.
 */
export async function requestTo(url: string, request: Request, change: {method?: string; dropBody?: boolean} = {}): Promise<Request> {
	const keepBody = change.dropBody !== true && request.body !== null;
	return new Request(url, {
		method: change.method ?? request.method,
		headers: request.headers,
		body: keepBody ? await bounded(request.blob(), {signal: request.signal}) : null,
		signal: request.signal,
		redirect: request.redirect,
		credentials: request.credentials,
		cache: request.cache,
		integrity: request.integrity,
		keepalive: request.keepalive,
		referrerPolicy: request.referrerPolicy,
		...(request.mode === 'navigate' ? {} : {mode: request.mode}),
	});
}

/**
 * `response` reading `url` as its URL, and so does every clone of it (ky hands its hooks clones, and an app may
 * clone too): a clone of a Response is made from its internal URL, which holds the query key.
 */
function showingUrl(response: Response, url: string): Response {
	const clone = response.clone.bind(response);
	Object.defineProperty(response, 'url', {value: url, enumerable: true});
	Object.defineProperty(response, 'clone', {value: () => showingUrl(clone(), url), writable: true, configurable: true});
	return response;
}

/** `url` with `query` added to its search. */
function withQuery(url: string, query: SchemeCredentials['query'] & object): string {
	const target = new URL(url);
	for (const [name, value] of query) {
		target.searchParams.set(name, value);
	}
	return target.href;
}

function setHeaders(request: Request, headers: SchemeCredentials['headers']): void {
	for (const [name, value] of headers) {
		try {
			request.headers.set(name, value);
		} catch {
			// The platform's message would quote the value: a credential.
			throw new TypeError(dev ? `ky-auth: the ${name} credential is not a valid header value (a line break or a non-Latin-1 character)` : seeDocs('HEADER_VALUE'));
		}
	}
}

/**
 * Sends `request` with a scheme's credentials and takes them off again once the response (or failure) arrives,
 * so the Request that ky or the caller keeps (and that errors expose) never holds them. Headers are set in place
 * (a fraction of the cost of copying the Request). Query parameters go on a copy of this hop only, and neither
 * the response's `url` nor an error shows them.
 */
export async function sendWith(
	send: typeof globalThis.fetch,
	request: Request,
	init: RequestInit | undefined,
	credentials: SchemeCredentials,
	inFlight?: InFlight,
): Promise<Response> {
	const {headers, query} = credentials;
	if (query !== undefined && query.length > 0) {
		const target = await requestTo(withQuery(request.url, query), request);
		try {
			// The URL the caller asked for, without the key: what ky's messages and the app's logs will show.
			return showingUrl(await sendWith(send, target, init, {headers}, inFlight), request.url);
		} catch (error) {
			throw redactError(error, query.map(([, value]) => value));
		}
	}
	// Credentials that took time (a key function, a DPoP signature) never land on a request given up meanwhile.
	request.signal.throwIfAborted();
	setHeaders(request, headers);
	inFlight?.set(request, headers);
	try {
		return await send(request, init);
	} finally {
		inFlight?.delete(request);
		for (const [name] of headers) {
			request.headers.delete(name);
		}
	}
}
