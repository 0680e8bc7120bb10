import {join} from 'node:path';
import type {CodeBlock} from './extract.js';

/** A snippet's first line may name it as a module of the page: `// auth.ts`. Other snippets import it as `./auth.js`. */
const fileNameComment = /^\/\/ ([\w-]+(?:\.[\w-]+)*\.tsx?)\s*$/;

/** Where each snippet lives as a virtual source file, and which files a page sees that it did not write. */
export interface SnippetLayout {
	/** The virtual path of each snippet. */
	readonly paths: ReadonlyMap<CodeBlock, string>;
	/** Extra virtual files: README's named modules, copied beside every page that does not name its own. */
	readonly shared: ReadonlyMap<string, string>;
	/** Layout problems of a snippet (a module name used twice on one page). */
	readonly problems: ReadonlyMap<CodeBlock, string>;
}

/** The module name a snippet gives itself with a first-line `// name.ts` comment, if any. */
export function moduleName(block: CodeBlock): string | undefined {
	return fileNameComment.exec(block.code.split('\n', 1)[0] ?? '')?.[1];
}

/**
 * Lays the snippets out as virtual files inside the repository (so `ky-auth` and `node_modules` resolve): one
 * directory per Markdown page; a snippet named by a `// name.ts` first line is that file, so the page's other
 * snippets import it as `./name.js`; the others are `L<line>.ts(x)`. README.md's named snippets (the quick
 * start's `auth.ts`) are visible from every page that does not name its own module of that name, so recipes
 * can build on the quick start with `import { session } from './auth.js'`.
 */
export function layoutSnippets(root: string, blocks: readonly CodeBlock[]): SnippetLayout {
	const base = join(root, 'test', 'docs', '.snippets');
	const directory = (file: string) => join(base, file.replaceAll(/[^\w.-]/g, '_'));
	const paths = new Map<CodeBlock, string>();
	const problems = new Map<CodeBlock, string>();
	const taken = new Map<string, CodeBlock>();
	for (const block of blocks) {
		const name = moduleName(block);
		const path = join(directory(block.file), name ?? `L${block.line}.${block.lang === 'tsx' ? 'tsx' : 'ts'}`);
		const earlier = taken.get(path);
		if (earlier) {
			problems.set(block, `${block.file}:${block.line} names itself ${name}, as the snippet at line ${earlier.line} does: one name per page`);
			continue;
		}
		taken.set(path, block);
		paths.set(block, path);
	}
	const shared = new Map<string, string>();
	const readmeModules = blocks.filter(block => block.file === 'README.md' && moduleName(block) !== undefined);
	for (const page of new Set(blocks.map(block => block.file))) {
		for (const module of readmeModules) {
			const path = join(directory(page), moduleName(module) ?? '');
			if (!taken.has(path)) shared.set(path, module.code);
		}
	}
	return {paths, shared, problems};
}
