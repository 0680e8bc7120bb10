import type {Page} from 'playwright';

/**
 * Each of `pages` adds `perPage` to the stored generation (all at once), each step a read-modify-write
 * through the page's store: by compare-and-set retried until it wins, or by get and set inside the store's
 * lock. Resolves with the final generation: `pages.length * perPage` when no increment was lost.
 */
export async function incrementEverywhere(pages: Page[], perPage: number, step: 'compareAndSet' | 'lock'): Promise<number | undefined> {
	await pages[0]!.evaluate(async () => window.harness.store.set({id: 'count', generation: 0, tokens: {accessToken: 'a'}}));
	await Promise.all(pages.map(async page => page.evaluate(async ({perPage, step}) => {
		const {store} = window.harness;
		const read = async (): Promise<number> => {
			const value = await store.get();
			return value !== null && 'generation' in value ? value.generation : -1;
		};
		const next = (generation: number) => ({id: 'count', generation: generation + 1, tokens: {accessToken: 'a'}});
		await Promise.all(Array.from({length: perPage}, async () => {
			if (step === 'compareAndSet') {
				for (;;) {
					const generation = await read();
					if (await store.compareAndSet!({id: 'count', generation}, next(generation))) {
						return;
					}
				}
			}
			await store.lock!(async () => {
				const generation = await read();
				// Another task would interleave here without the lock.
				await new Promise(resolve => setTimeout(resolve, 1));
				await store.set(next(generation));
			}, new AbortController().signal);
		}));
	}, {perPage, step})));
	const final = await pages[0]!.evaluate(async () => window.harness.store.get());
	return final !== null && 'generation' in final ? final.generation : undefined;
}
