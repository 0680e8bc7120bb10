/**
 * The Lua scripts of {@link redisStore}. Each runs atomically on the node that owns its keys; every key a script
 * touches is passed in KEYS and shares the record's hash tag, so they work on Redis Cluster. Scripts reply with
 * integers only, which read the same over RESP2 and RESP3 in every client.
 */

/**
 * `versionOf(raw)`: the `id` and `generation` of a stored value exactly as `readRecord` (src/stores/record.ts)
 * reads it, so the compare-and-set compares what `get` returns: a bare TokenSet is `('unversioned', 0)`; a valid
 * record is its `(id, generation)`; absent or not a valid record is `nil`, signed out. A value cjson cannot decode
 * (not JSON, or JSON that cjson refuses, such as a lone surrogate escape, which JavaScript accepts) is `false`:
 * undecided, the caller lets JavaScript judge it. `tokenSet(t)` is `isTokenSet` (src/session/token-set.ts).
 * test/redis/lua-record.test.ts checks that both agree.
 */
const readVersion = `
local function visible(value)
	return type(value) == 'string' and string.find(value, '^[!-~]+$') ~= nil
end
local function tokenSet(t)
	if type(t) ~= 'table' or not visible(t.accessToken) then
		return false
	end
	for _, name in ipairs({'refreshToken', 'tokenType', 'scope'}) do
		if t[name] ~= nil and type(t[name]) ~= 'string' then
			return false
		end
	end
	if type(t.tokenType) == 'string' and string.find(t.tokenType, "^[%w!#%$%%&'%*%+%-%.%^_\`|~]+$") == nil then
		return false
	end
	for _, name in ipairs({'expiresAt', 'expiresIn'}) do
		local value = t[name]
		if value ~= nil and (type(value) ~= 'number' or value ~= value or value == math.huge or value < 0) then
			return false
		end
	end
	return true
end
local function versionOf(raw)
	if not raw then
		return nil
	end
	local ok, value = pcall(cjson.decode, raw)
	if not ok then
		return false
	end
	if type(value) ~= 'table' then
		return nil
	end
	if tokenSet(value) then
		return 'unversioned', 0
	end
	local generation = value.generation
	if type(value.id) ~= 'string' or value.id == '' or not tokenSet(value.tokens)
		or type(generation) ~= 'number' or generation ~= math.floor(generation) or generation < 0 or generation > 9007199254740991 then
		return nil
	end
	return value.id, generation
end
`;

/** Writes ARGV[next] to KEYS[1] (or deletes it when empty) and announces the change on ARGV[channel]. */
const write = (next: number, channel: number): string => `
if ARGV[${next}] == '' then
	redis.call('DEL', KEYS[1])
else
	redis.call('SET', KEYS[1], ARGV[${next}])
end
redis.call('PUBLISH', ARGV[${channel}], 'changed')
`;

/**
 * Compare-and-set. KEYS[1]: the record. ARGV: [1] '1' when a version is expected, '0' for "nothing stored";
 * [2] the expected id; [3] the expected generation; [4] the next record's JSON, '' to delete; [5] the channel.
 * Replies 1 when it wrote (and published), 0 when the stored version differs, -1 when it cannot decode the
 * stored value (then {@link swapScript} writes, if JavaScript finds the expected version in it).
 */
export const compareAndSetScript = `${readVersion}
local id, generation = versionOf(redis.call('GET', KEYS[1]))
if id == false then
	return -1
end
local matched
if ARGV[1] == '0' then
	matched = id == nil
else
	matched = id == ARGV[2] and generation == tonumber(ARGV[3])
end
if not matched then
	return 0
end
${write(4, 5)}
return 1
`;

/**
 * Compare-and-swap on the exact stored value, for what {@link compareAndSetScript} cannot decode. KEYS[1]: the
 * record. ARGV: [1] '1' when a value is expected, '0' for none; [2] the value JavaScript judged; [3] the next
 * record's JSON, '' to delete; [4] the channel. Replies 1 when it wrote, 0 when the value changed meanwhile.
 */
export const swapScript = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '0' and current ~= false) or (ARGV[1] == '1' and current ~= ARGV[2]) then
	return 0
end
${write(3, 4)}
return 1
`;

/** Unconditional write. KEYS[1]: the record. ARGV: [1] the record's JSON, '' to delete; [2] the channel. Replies 1. */
export const setScript = `${write(1, 2)}
return 1
`;

/**
 * Takes the lock. KEYS[1]: the lock. ARGV: [1] this attempt's owner value; [2] the TTL in ms.
 * Replies 0 when taken (`SET NX PX`), else the milliseconds the current holder still has (at least 1). A lock
 * key left without a TTL (written by hand) gets one, so it cannot block every holder forever.
 */
export const acquireScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
	return 0
end
local left = redis.call('PTTL', KEYS[1])
if left == -1 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return tonumber(ARGV[2])
end
if left < 1 then
	return 1
end
return left
`;

/**
 * Releases the lock, only for its owner (compare-and-delete). KEYS[1]: the lock. ARGV: [1] the owner value;
 * [2] the channel, where waiters hear 'released'. Replies 1 when released, 0 when the lock was not this owner's
 * (it expired, and maybe another holder took it).
 */
export const releaseScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
	return 0
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], 'released')
return 1
`;

/**
 * Renews the lock, only for its owner (compare-and-PEXPIRE). KEYS[1]: the lock. ARGV: [1] the owner value;
 * [2] the TTL in ms. Replies 1 when renewed, 0 when the lock is not this owner's any more (it expired, and maybe
 * another holder took it).
 */
export const renewScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
	return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;
