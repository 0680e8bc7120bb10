/** How deep redaction walks (an error's cause or field is one level); deeper values are dropped. */
export const maxRedactionDepth = 8;

/** What redaction puts where a secret was. */
const placeholder = '[REDACTED]';

/** One walk: the secrets to scrub, what was copied already (cycles), and whether anything changed. */
export interface Walk {
	readonly secrets: readonly string[];
	readonly copies: Map<object, unknown>;
	changed: boolean;
}

/** Every spelling of a secret a log could show: raw, JSON-escaped, URL-encoded and form-encoded. Longest first. */
export function spellings(secrets: ReadonlyArray<string | undefined>): string[] {
	const all = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0)
		.flatMap(secret => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({s: secret}).toString().slice(2)]);
	return [...new Set(all)].toSorted((a, b) => b.length - a.length);
}

export function scrub(text: string, walk: Walk): string {
	let result = text;
	for (const secret of walk.secrets) {
		result = result.split(secret).join(placeholder);
	}
	if (result !== text) {
		walk.changed = true;
	}
	return result;
}

/** A value that stands for something left out; leaving something out counts as a change. */
export function dropped(walk: Walk, what: string): string {
	walk.changed = true;
	return `[${what}]`;
}

