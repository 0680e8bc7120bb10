// Ambient stand-ins for the packages the docs import but this repository does not install (react,
// openapi-fetch, graphql-request): just the signatures the docs use, following each package's own types, so a
// snippet that misuses them fails to compile. Nothing else in the repository imports these module names. Installed packages (msw, vitest, axios, axios-auth-refresh,
// vue, svelte) are checked against their real types instead.

declare module 'react' {
	/** React 18+: subscribes to an external store; `getServerSnapshot` is used during SSR and hydration. */
	export function useSyncExternalStore<Snapshot>(
		subscribe: (onStoreChange: () => void) => () => void,
		getSnapshot: () => Snapshot,
		getServerSnapshot?: () => Snapshot,
	): Snapshot;
	export function useEffect(effect: () => void | (() => void), deps?: readonly unknown[]): void;
	export type ReactNode = string | number | boolean | null | undefined | JSX.Element | Iterable<ReactNode>;
	export namespace JSX {
		interface Element {
			readonly type: unknown;
			readonly props: unknown;
			readonly key: string | null;
		}
		interface ElementChildrenAttribute {
			children: unknown;
		}
		interface IntrinsicAttributes {
			key?: string | number | null | undefined;
		}
		interface IntrinsicElements {
			a: {href?: string; children?: ReactNode};
			button: {type?: 'button' | 'submit'; onClick?: () => void; disabled?: boolean; children?: ReactNode};
			span: {children?: ReactNode; 'aria-busy'?: boolean};
			p: {children?: ReactNode};
		}
	}
}

declare module 'react/jsx-runtime' {
	import type {JSX} from 'react';

	export type {JSX};
	export function jsx(type: unknown, props: unknown, key?: unknown): JSX.Element;
	export function jsxs(type: unknown, props: unknown, key?: unknown): JSX.Element;
	export const Fragment: unique symbol;
}

declare module 'openapi-fetch' {
	/** openapi-fetch 0.x `ClientOptions`: `fetch` receives a `Request` and replaces `globalThis.fetch` for every call. */
	export interface ClientOptions extends Omit<RequestInit, 'headers'> {
		baseUrl?: string;
		fetch?: (request: Request) => ReturnType<typeof fetch>;
		headers?: HeadersInit;
	}
	/** Simplified from openapi-fetch's `FetchResponse`: `data` on 2xx, `error` otherwise, and always the `response`. */
	export type FetchResponse<Data> = {data: Data; error?: never; response: Response} | {data?: never; error: unknown; response: Response};
	type Operation<Item, Method extends string> = Item extends Record<Method, infer Op> ? Op : never;
	type PathsWith<Paths, Method extends string> = {[P in keyof Paths]: Paths[P] extends Record<Method, unknown> ? P : never}[keyof Paths] & string;
	type SuccessJson<Op> = Op extends {responses: infer R}
		? {[S in keyof R & (200 | 201 | 202 | 204)]: R[S] extends {content: {'application/json': infer T}} ? T : undefined}[keyof R & (200 | 201 | 202 | 204)]
		: never;
	type JsonBody<Op> = Op extends {requestBody: {content: {'application/json': infer B}}} ? B : never;
	/** Simplified: the real methods also infer `params` (path, query, header) from the operation. */
	export interface Client<Paths> {
		GET<P extends PathsWith<Paths, 'get'>>(url: P, init?: {params?: Record<string, unknown>; signal?: AbortSignal}): Promise<FetchResponse<SuccessJson<Operation<Paths[P], 'get'>>>>;
		POST<P extends PathsWith<Paths, 'post'>>(url: P, init: {body: JsonBody<Operation<Paths[P], 'post'>>; params?: Record<string, unknown>; signal?: AbortSignal}): Promise<FetchResponse<SuccessJson<Operation<Paths[P], 'post'>>>>;
	}
	export default function createClient<Paths extends object>(clientOptions?: ClientOptions): Client<Paths>;
}

declare module 'graphql-request' {
	/** graphql-request 7 `RequestConfig` (subset): `fetch` replaces `globalThis.fetch`. */
	export interface RequestConfig extends Omit<RequestInit, 'headers' | 'method'> {
		fetch?: typeof fetch;
		headers?: HeadersInit | (() => HeadersInit);
	}
	export class GraphQLClient {
		constructor(url: string, requestConfig?: RequestConfig);
		request<T = unknown>(document: string, variables?: Record<string, unknown>): Promise<T>;
	}
}

// Nuxt 3/4 and SvelteKit 2 (not installed): the few names the recipes docs/recipes/nuxt.md and sveltekit.md use.

/** Nuxt's `import.meta.server` / `import.meta.client`, true in the server and in the browser build respectively. */
interface ImportMeta {
	readonly server: boolean;
	readonly client: boolean;
}

declare module '$app/environment' {
	/** SvelteKit: `true` when the code runs in the browser. */
	export const browser: boolean;
}

declare module '$app/navigation' {
	/** SvelteKit: client-side navigation. */
	export function goto(url: string | URL, options?: {replaceState?: boolean; invalidateAll?: boolean}): Promise<void>;
}

declare module '@sveltejs/kit' {
	/** SvelteKit: throws a redirect (`redirect(307, '/login')`) from a `load` function or a hook. */
	export function redirect(status: 300 | 301 | 302 | 303 | 307 | 308, location: string | URL): never;
	/** The event a server hook receives (subset). */
	export interface RequestEvent {
		request: Request;
		url: URL;
		locals: App.Locals;
	}
	/** `hooks.server.ts`'s `handle` (subset). */
	export type Handle = (input: {event: RequestEvent; resolve: (event: RequestEvent) => Promise<Response>}) => Promise<Response>;
	/** A universal `load`'s argument (subset). */
	export interface LoadEvent {
		url: URL;
	}
}

/** SvelteKit's app-wide types, augmented by the app's `src/app.d.ts`. */
declare namespace App {
	// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augmented by the app, as SvelteKit's own is
	interface Locals {}
}
