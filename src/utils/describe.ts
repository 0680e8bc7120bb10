/** A short description of a value for error messages: its type and, for primitives, the value. */
export function describeValue(value: unknown): string {
	if (value === null) {
		return 'null';
	}
	if (Array.isArray(value)) {
		return 'an array';
	}
	switch (typeof value) {
		case 'string': {
			return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
		}
		case 'number':
		case 'bigint':
		case 'boolean': {
			return `${typeof value} ${String(value)}`;
		}
		case 'undefined': {
			return 'undefined';
		}
		case 'function': {
			return 'a function';
		}
		default: {
			return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : typeof value;
		}
	}
}
