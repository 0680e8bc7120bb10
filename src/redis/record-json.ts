import {readRecord} from '../record/record.js';
import type {TokenRecord} from '../types/store.js';

/** The JSON a record is stored as: always the canonical `{id, generation, tokens}` (a bare TokenSet becomes an unversioned record); '' for none. */
export function serialize(record: TokenRecord | null): string {
	const canonical = record && readRecord(record);
	return canonical ? JSON.stringify({id: canonical.id, generation: canonical.generation, tokens: canonical.tokens}) : '';
}

/** What the stored text holds, as `readRecord` reads it: a record, or `null` (absent, not JSON, not a record). */
export function deserialize(raw: string | null): TokenRecord | null {
	if (raw === null) {
		return null;
	}
	try {
		return readRecord(JSON.parse(raw) as unknown);
	} catch {
		return null;
	}
}

/** The tokens a write carries, to keep them out of its errors. */
export function secretsOf(record: TokenRecord | null): Array<string | undefined> {
	return [record?.tokens.accessToken, record?.tokens.refreshToken];
}
