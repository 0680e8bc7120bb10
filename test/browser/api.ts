import {inject} from 'vitest';

/** The browser suite's handle on the real API server (through its /__control/ endpoints). */
export const apiOrigin = inject('apiOrigin');

export interface Stats {
	tokenCalls: number;
	seen: Array<{method: string; path: string; authorization?: string; contentType?: string; body: string; host: string; apiKey?: string}>;
}

export async function control(action: 'issue' | 'revoke' | 'reset' | 'fail-refresh' | 'stats'): Promise<unknown> {
	const response = await fetch(`${apiOrigin}/__control/${action}`, {method: 'POST'});
	return response.json();
}

export async function issue(): Promise<string> {
	return ((await control('issue')) as {token: string}).token;
}

export async function stats(): Promise<Stats> {
	return (await control('stats')) as Stats;
}

/** A refresh through plain fetch against the API's token endpoint. */
export async function refreshWithFetch({signal}: {signal: AbortSignal}) {
	const response = await fetch(`${apiOrigin}/token`, {method: 'POST', body: 'grant_type=refresh_token', signal});
	if (response.status === 400) {
		return null;
	}
	const body = await response.json() as {access_token: string; refresh_token: string; expires_in: number};
	return {accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in};
}
