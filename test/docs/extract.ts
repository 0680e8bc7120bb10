/** One fenced code block of a Markdown file. */
export interface CodeBlock {
	/** The Markdown file, relative to the repository root, with forward slashes. */
	readonly file: string;
	/** 1-based line of the opening fence. */
	readonly line: number;
	/** The first word of the info string, lowercased (`''` when the fence has none). */
	readonly lang: string;
	/** The block's text, with the fence's indentation removed. */
	readonly code: string;
}

const opening = /^( *)(`{3,}|~{3,})[ \t]*([^\s`]*)/;

/**
 * Extracts every fenced code block (backtick or tilde fences, CommonMark style) from a Markdown text.
 * An unclosed fence runs to the end of the file, as CommonMark says.
 *
 * @example
 * ```ts
 * extractCodeBlocks('README.md', '# Title\n```ts\nconst a = 1;\n```\n'); // [{ file: 'README.md', line: 2, lang: 'ts', code: 'const a = 1;' }]
 * ```
 */
export function extractCodeBlocks(file: string, markdown: string): CodeBlock[] {
	const lines = markdown.split(/\r?\n/);
	const blocks: CodeBlock[] = [];
	for (let index = 0; index < lines.length; index++) {
		const match = opening.exec(lines[index] ?? '');
		if (!match) continue;
		const [, indent = '', fence = '', info = ''] = match;
		const closing = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
		const body: string[] = [];
		const start = index;
		for (index++; index < lines.length && !closing.test(lines[index] ?? ''); index++) {
			const text = lines[index] ?? '';
			body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
		}
		blocks.push({file, line: start + 1, lang: info.toLowerCase(), code: body.join('\n')});
	}
	return blocks;
}
