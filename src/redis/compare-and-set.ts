import {matchesVersion} from '../record/record.js';
import type {TokenRecord, TokenRecordVersion} from '../types/store.js';
import type {RedisCommands} from './commands.js';
import type {RecordKeys} from './keys.js';
import {deserialize, secretsOf, serialize} from './record-json.js';
import {integerReply, textReply} from './reply.js';
import {scripts} from './scripts.js';

/**
 * Writes `next` only if the stored record has the version `expected`, atomically: one Lua script compares the
 * stored `id` and `generation` (read as `readRecord` reads them), writes or deletes, and publishes 'changed'.
 * When the script cannot decode the stored value (JSON that cjson refuses but JavaScript reads), JavaScript
 * judges it with `readRecord`/`matchesVersion`, and a second script writes only if the value is still exactly
 * the one judged; a value changed meanwhile counts as a lost race (false), as any compare-and-set does.
 */
export async function compareAndSet(commands: RedisCommands, keys: RecordKeys, expected: TokenRecordVersion, next: TokenRecord | null): Promise<boolean> {
	const json = serialize(next);
	const secrets = secretsOf(next);
	const reply = await commands.run(scripts.compareAndSet, [keys.record], [
		expected === null ? '0' : '1',
		expected?.id ?? '',
		String(expected?.generation ?? 0),
		json,
		keys.channel,
	], secrets);
	const outcome = integerReply(reply, 'compareAndSet');
	if (outcome !== -1) {
		return outcome === 1;
	}
	const raw = textReply(await commands.send(['GET', keys.record], keys.record), `GET ${keys.record}`);
	if (!matchesVersion(deserialize(raw), expected)) {
		return false;
	}
	const swapped = await commands.run(scripts.swap, [keys.record], [raw === null ? '0' : '1', raw ?? '', json, keys.channel], secrets);
	return integerReply(swapped, 'compareAndSet') === 1;
}
