import type {IncomingMessage, ServerResponse} from 'node:http';
import type {ServerClock} from './clock.js';
import type {NonceSource} from './nonces.js';

/** Reads a request body as UTF-8. */
export async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Every `DPoP` header line of a request, unjoined (two lines are two entries). */
export function dpopHeaders(request: IncomingMessage): readonly string[] {
	return request.headersDistinct.dpop ?? [];
}

/** An `Authorization` header split into scheme and credentials (RFC 9110 §11.4). */
export interface Authorization {
	/** As sent (compare case-insensitively). */
	readonly scheme: string;
	readonly credentials: string;
}

/** Splits `Authorization: <scheme> <credentials>`; `undefined` when absent. */
export function parseAuthorization(request: IncomingMessage): Authorization | undefined {
	const value = request.headers.authorization;
	if (value === undefined) return undefined;
	const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/.exec(value.trim());
	return {scheme: match?.[1] ?? value, credentials: match?.[2]?.trim() ?? ''};
}

/** `"value"` with `"` and `\` escaped (RFC 9110 §5.6.4). */
function quoted(value: string): string {
	return `"${value.replaceAll(/["\\]/g, character => `\\${character}`)}"`;
}

/** A `WWW-Authenticate: DPoP …` challenge with its auth-params quoted. */
export function dpopChallenge(params: Readonly<Record<string, string>>): string {
	const list = Object.entries(params).map(([name, value]) => `${name}=${quoted(value)}`);
	return list.length === 0 ? 'DPoP' : `DPoP ${list.join(', ')}`;
}

/**
 * Answers with a JSON body, the `Date` of the server's clock (node's automatic `Date` is switched off so
 * the offset clock is what the client sees) and, when nonces are on, the current `DPoP-Nonce`.
 */
export function sendJson(
	response: ServerResponse,
	status: number,
	body: unknown,
	context: {readonly clock: ServerClock; readonly nonce: NonceSource | undefined},
	headers: Readonly<Record<string, string>> = {},
): void {
	response.sendDate = false;
	const all: Record<string, string> = {
		date: context.clock.httpDate(),
		'content-type': 'application/json',
		'cache-control': 'no-store',
		...headers,
	};
	if (context.nonce !== undefined) all['dpop-nonce'] = context.nonce.current;
	response.writeHead(status, all);
	response.end(status === 204 ? undefined : JSON.stringify(body));
}
