import {dev} from '../utils/dev.js';
import {ChallengeParseError} from './parse-error.js';
import {BACKSLASH, DQUOTE, HTAB, QDTEXT, QUOTABLE, SP, TCHAR, TOKEN68, EQUALS, inSet} from './chars.js';

/** A cursor over one field value; every method advances at most once over each character. */
export class Scanner {
	position = 0;

	constructor(readonly text: string) {}

	get done(): boolean {
		return this.position >= this.text.length;
	}

	peek(): number {
		return this.text.charCodeAt(this.position);
	}

	fail(message: string): never {
		throw new ChallengeParseError(message, this.position);
	}

	/** Skips optional white space (SP / HTAB). */
	skipWhitespace(): void {
		while (!this.done && (this.peek() === SP || this.peek() === HTAB)) {
			this.position++;
		}
	}

	/** Reads a token (1*tchar); returns '' when none starts here. */
	token(): string {
		const start = this.position;
		while (!this.done && inSet(TCHAR, this.peek())) {
			this.position++;
		}
		return this.text.slice(start, this.position);
	}

	/** Reads a token68 when one stands alone here (followed by end or a comma); otherwise reads nothing. */
	token68(): string | undefined {
		const start = this.position;
		while (!this.done && inSet(TOKEN68, this.peek())) {
			this.position++;
		}
		const hasBody = this.position > start;
		while (!this.done && this.peek() === EQUALS) {
			this.position++;
		}
		const end = this.position;
		this.skipWhitespace();
		if (hasBody && (this.done || this.peek() === 0x2c)) {
			return this.text.slice(start, end);
		}
		this.position = start;
		return undefined;
	}

	/** Reads a quoted-string, unescaping quoted-pairs. The cursor stands on the opening quote. */
	quoted(): string {
		this.position++;
		let value = '';
		let chunkStart = this.position;
		while (!this.done) {
			const code = this.peek();
			if (code === DQUOTE) {
				value += this.text.slice(chunkStart, this.position);
				this.position++;
				return value;
			}
			if (code === BACKSLASH) {
				value += this.text.slice(chunkStart, this.position);
				this.position++;
				if (this.done || !inSet(QUOTABLE, this.peek())) {
					this.fail(dev ? 'invalid quoted-pair' : '');
				}
				value += this.text[this.position];
				this.position++;
				chunkStart = this.position;
				continue;
			}
			if (!inSet(QDTEXT, code)) {
				this.fail(dev ? 'invalid character in quoted-string' : '');
			}
			this.position++;
		}
		return this.fail(dev ? 'unterminated quoted-string' : '');
	}

	/** Reads `BWS "=" BWS ( token / quoted-string )` after a parameter name. */
	paramValue(): string {
		this.skipWhitespace();
		if (this.peek() !== EQUALS) {
			this.fail(dev ? 'expected "="' : '');
		}
		this.position++;
		this.skipWhitespace();
		if (this.peek() === DQUOTE) {
			return this.quoted();
		}
		const value = this.token();
		if (value === '') {
			this.fail(dev ? 'expected a token or quoted-string' : '');
		}
		return value;
	}
}
