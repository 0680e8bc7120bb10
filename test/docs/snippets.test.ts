import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {compileSnippets, type DocsCompilation} from './compile.js';
import {extractCodeBlocks} from './extract.js';

// Every ```ts and ```tsx block of README.md, CONTRIBUTING.md and docs/**/*.md is type-checked as its own module
// against the library's built declarations, with test/docs/tsconfig.json (strict, exactOptionalPropertyTypes,
// noUnusedParameters). Blocks in other languages (sh, text, mermaid) are not TypeScript and are skipped.

const root = fileURLToPath(new URL('../../', import.meta.url));
const compiled = new Set(['ts', 'typescript', 'tsx']);

const markdownFiles = [
	'README.md',
	'CONTRIBUTING.md',
	...readdirSync(new URL('docs/', `file://${root}`), {recursive: true, encoding: 'utf8'})
		.filter(name => name.endsWith('.md'))
		.map(name => `docs/${name.replaceAll('\\', '/')}`)
		.sort(),
];
const blocks = markdownFiles.flatMap(file => extractCodeBlocks(file, readFileSync(`${root}${file}`, 'utf8')));
const snippets = blocks.filter(block => compiled.has(block.lang));

let compilation: DocsCompilation;
beforeAll(() => {
	compilation = compileSnippets(root, snippets);
}, 120_000);

describe('doc snippets', () => {
	it('builds the declarations and the shared fixtures without errors', () => {
		expect(compilation.setup).toEqual([]);
	});

	it('finds the snippets, and every fenced block names its language', () => {
		expect(snippets.length).toBeGreaterThan(10);
		const unlabelled = blocks.filter(block => block.lang === '').map(block => `${block.file}:${block.line}`);
		expect(unlabelled, 'a fence without a language is never checked: label it (ts, sh, text…)').toEqual([]);
	});

	for (const block of snippets) {
		it(`${block.file}:${block.line} compiles`, () => {
			expect(compilation.check(block)).toEqual([]);
		});
	}
});
