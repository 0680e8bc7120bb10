/**
 * Makes own properties non-enumerable, so that logging or serialising an error does not dump
 * the request, response or options it carries (they may hold credentials or large bodies).
 */
export function hideFields(target: object, keys: readonly string[]): void {
	for (const key of keys) {
		const descriptor = Object.getOwnPropertyDescriptor(target, key);
		if (descriptor?.enumerable && descriptor.configurable !== false) {
			Object.defineProperty(target, key, {...descriptor, enumerable: false});
		}
	}
}

/** The fields of ky's errors that can carry a request, response or options. */
export const kyErrorFields = ['request', 'response', 'options'] as const;
