// Types for the Svelte hydration test: a component's source through Vite's `?raw`, and Svelte's server runtime,
// which the server-compiled component imports (Svelte ships no types for its internal entries).
declare module '*.svelte?raw' {
	const source: string;
	export default source;
}

declare module 'svelte/internal/server' {
	const internals: Record<string, unknown>;
	export = internals;
}
