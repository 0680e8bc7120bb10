const placeholder = '[REDACTED]';

function scrub(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		result = result.split(secret).join(placeholder);
	}
	return result;
}

function describe(value: unknown): string {
	if (value instanceof Error) {
		let own = '';
		try {
			own = JSON.stringify(value);
		} catch {
			own = '';
		}
		return `${value.message}\n${value.stack ?? ''}\n${own}\n${describe(value.cause)}`;
	}
	try {
		return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}

/**
 * Returns `error` itself when none of `secrets` appears in it (message, stack, own fields, causes);
 * otherwise a plain `Error` copy with the secrets replaced, so a token never reaches a log
 * through an error's `cause`.
 */
export function redactError(error: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
	const present = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
	if (present.length === 0) {
		return error;
	}
	const text = describe(error);
	if (!present.some(secret => text.includes(secret))) {
		return error;
	}
	const source = error instanceof Error ? error : new Error(describe(error));
	const copy = new Error(scrub(source.message, present));
	copy.name = source.name;
	copy.stack = scrub(source.stack ?? '', present);
	return copy;
}
