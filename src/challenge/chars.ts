/** Character classes of RFC 9110 as lookup tables over Latin-1 code units. */
function table(test: (code: number) => boolean): Uint8Array {
	const result = new Uint8Array(256);
	for (let code = 0; code < 256; code++) {
		result[code] = test(code) ? 1 : 0;
	}
	return result;
}

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** tchar (§5.6.2). */
export const TCHAR = table(c => isAlnum(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)));
/** token68 characters before the padding (§11.2). */
export const TOKEN68 = table(c => isAlnum(c) || '-._~+/'.includes(String.fromCharCode(c)));
/** qdtext (§5.6.4): HTAB, SP, %x21, %x23-5B, %x5D-7E, obs-text. */
export const QDTEXT = table(c => c === 0x09 || c === 0x20 || c === 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80);
/** What may follow a backslash in a quoted-pair: HTAB, SP, VCHAR, obs-text. */
export const QUOTABLE = table(c => c === 0x09 || (c >= 0x20 && c <= 0x7e) || c >= 0x80);

export const SP = 0x20;
export const HTAB = 0x09;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

/** Whether `code` is in `set` (anything beyond Latin-1 is in none). */
export function inSet(set: Uint8Array, code: number): boolean {
	return code < 256 && set[code] === 1;
}
