/**
 * A challenge a resource server answers for a path once the request is otherwise valid (proof and token
 * accepted): RFC 9470 step-up (`insufficient_user_authentication` with `acr_values` / `max_age`), Entra-style
 * `insufficient_claims` with `claims`, RFC 6750 `insufficient_scope` (status 403, `scope`), …
 */
export interface ChallengeRule {
	/** The `error` auth-param. */
	readonly error: string;
	/** The status. Default 401. */
	readonly status?: 401 | 403;
	/** More auth-params, e.g. `{acr_values: 'urn:mace:incommon:iap:silver', max_age: '0'}` or `{claims: '<base64>'}`. */
	readonly params?: Readonly<Record<string, string>>;
	/** How many requests get the challenge; later ones are accepted. Default: all of them. */
	readonly times?: number;
}

/** Per-path redirects and challenges of a resource server, changeable while it runs. */
export interface PathRules {
	/** The `Location` a path answers 302 with, if any. */
	redirect(path: string): string | undefined;
	setRedirect(path: string, location: string | undefined): void;
	/** Takes one use of the path's challenge, if it has one left. */
	takeChallenge(path: string): ChallengeRule | undefined;
	setChallenge(path: string, rule: ChallengeRule | undefined): void;
}

function checkPath(where: string, path: unknown): string {
	if (typeof path !== 'string' || !path.startsWith('/')) {
		throw new TypeError(`${where}: expected a path starting with "/", got ${typeof path === 'string' ? JSON.stringify(path) : typeof path}`);
	}
	return path;
}

function checkRule(where: string, rule: ChallengeRule): ChallengeRule {
	if (typeof rule !== 'object' || rule === null || typeof rule.error !== 'string' || rule.error === '') {
		throw new TypeError(`${where}: expected {error: string, status?, params?, times?}, got ${JSON.stringify(rule)}`);
	}
	if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0)) {
		throw new TypeError(`${where}.times: expected a non-negative integer, got ${String(rule.times)}`);
	}
	return rule;
}

/** Rules from the server's options (`redirects`: path → absolute URL; `challenges`: path → rule). */
export function createPathRules(
	redirects: Readonly<Record<string, string>> = {},
	challenges: Readonly<Record<string, ChallengeRule>> = {},
): PathRules {
	const locations = new Map<string, string>();
	const rules = new Map<string, {rule: ChallengeRule; left: number}>();
	const rulesApi: PathRules = {
		redirect: path => locations.get(path),
		setRedirect(path, location) {
			checkPath('setRedirect', path);
			if (location === undefined) {
				locations.delete(path);
				return;
			}
			try {
				locations.set(path, new URL(location).href);
			} catch {
				throw new TypeError(`setRedirect: expected an absolute URL, got ${JSON.stringify(location)}`);
			}
		},
		takeChallenge(path) {
			const entry = rules.get(path);
			if (entry === undefined || entry.left <= 0) return undefined;
			entry.left--;
			return entry.rule;
		},
		setChallenge(path, rule) {
			checkPath('setChallenge', path);
			if (rule === undefined) {
				rules.delete(path);
				return;
			}
			rules.set(path, {rule: checkRule(`challenges[${path}]`, rule), left: rule.times ?? Number.POSITIVE_INFINITY});
		},
	};
	for (const [path, location] of Object.entries(redirects)) rulesApi.setRedirect(path, location);
	for (const [path, rule] of Object.entries(challenges)) rulesApi.setChallenge(path, rule);
	return rulesApi;
}
