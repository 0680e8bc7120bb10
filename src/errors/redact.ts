const placeholder = '[REDACTED]';

function scrub(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		result = result.split(secret).join(placeholder);
	}
	return result;
}

/** Serialises what `JSON.stringify` shows as `{}` but `util.inspect` prints in full (form bodies, headers, maps). */
function revealing(_key: string, value: unknown): unknown {
	if (value instanceof URLSearchParams) {
		return [...value];
	}
	if (value instanceof Headers || value instanceof Map || (typeof FormData !== 'undefined' && value instanceof FormData)) {
		return [...(value as Iterable<unknown>)];
	}
	if (value instanceof Request || value instanceof Response) {
		return {url: value.url, headers: [...value.headers]};
	}
	return value;
}

function serialise(value: unknown): string {
	try {
		return JSON.stringify(value, revealing) ?? '';
	} catch {
		return '';
	}
}

/** Everything of an error a log could show: message, stack, own fields (including hidden ones), and its causes. */
function describe(value: unknown, depth = 0): string {
	if (depth > 5) {
		return '';
	}
	if (value instanceof Error) {
		const fields = Object.getOwnPropertyNames(value)
			.filter(name => name !== 'message' && name !== 'stack' && name !== 'cause')
			.map(name => serialise((value as unknown as Record<string, unknown>)[name]));
		return `${value.message}\n${value.stack ?? ''}\n${fields.join('\n')}\n${describe(value.cause, depth + 1)}`;
	}
	return typeof value === 'string' ? value : serialise(value);
}

/**
 * Returns `error` itself when none of `secrets` appears in it (message, stack, own fields, causes);
 * otherwise a plain `Error` copy with the secrets replaced and nothing else attached, so a token
 * never reaches a log through an error's `cause`.
 */
export function redactError(error: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
	const present = [...new Set(secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0)
		.flatMap(secret => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({s: secret}).toString().slice(2)]))];
	if (present.length === 0) {
		return error;
	}
	const text = describe(error);
	if (!present.some(secret => text.includes(secret))) {
		return error;
	}
	const source = error instanceof Error ? error : new Error(serialise(error));
	const copy = new Error(scrub(source.message, present));
	copy.name = source.name;
	copy.stack = scrub(source.stack ?? '', present);
	return copy;
}
