import {readFileSync} from 'node:fs';
import {basename, dirname, join, relative} from 'node:path';
import ts from 'typescript';
import type {CodeBlock} from './extract.js';
import {layoutSnippets} from './layout.js';

function readConfig(path: string): ts.ParsedCommandLine {
	const parsed = ts.getParsedCommandLineOfConfigFile(path, {}, {
		...ts.sys,
		onUnRecoverableConfigFileDiagnostic: diagnostic => {
			throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
		},
	});
	if (!parsed) throw new Error(`cannot read ${path}`);
	return parsed;
}

/** One line per diagnostic: `file:line:column TScode: message`; `locate` turns a 0-based line into the reported `file:line`. */
function format(diagnostics: readonly ts.Diagnostic[], root: string, locate?: (line: number) => string): string[] {
	return diagnostics.map(diagnostic => {
		const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
		if (!diagnostic.file || diagnostic.start === undefined) return message;
		const {line, character} = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
		const where = locate ? locate(line) : `${relative(root, diagnostic.file.fileName)}:${line + 1}`;
		return `${where}:${character + 1} ${message}`;
	});
}

/** Entries whose source folder is not `src/<name>/` (see tsup.config.ts): `ky-auth/dpop` is `src/schemes/dpop/`. */
const entryFolders = new Map([['dpop', 'schemes/dpop']]);

/**
 * tsup bundles each subpath entry (`src/oauth/index.ts`) into `dist/<name>.d.ts`, where package.json "exports"
 * points; tsc emits `dist/<name>/index.d.ts` instead. Each such export is served as a re-export of the latter.
 */
function serveSubpathEntries(root: string, dist: string, virtual: Map<string, string>): void {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {exports?: Record<string, unknown>};
	for (const target of Object.values(manifest.exports ?? {})) {
		const types = typeof target === 'object' && target !== null ? (target as {types?: unknown}).types : undefined;
		if (typeof types !== 'string') continue;
		const path = join(root, types);
		const folder = entryFolders.get(basename(path, '.d.ts')) ?? basename(path, '.d.ts');
		const entry = join(dist, folder, 'index.d.ts');
		if (!virtual.has(path) && virtual.has(entry)) virtual.set(path, `export * from './${folder}/index.js';\n`);
	}
}

/** The result of checking every snippet in one program. */
export interface DocsCompilation {
	/** Problems outside the snippets: building the declarations, the options, the shared fixtures. */
	readonly setup: readonly string[];
	/** The diagnostics of one snippet, located in its Markdown file (`README.md:57:12 TS2304: …`). */
	check(block: CodeBlock): string[];
}

/**
 * Builds the library's declarations from `src/` (as `tsc --emitDeclarationOnly` would, kept in memory and
 * served at `dist/`, where package.json "exports" points), then type-checks every block as its own module
 * (laid out by {@link layoutSnippets}), with the options and fixtures of test/docs/tsconfig.json, importing
 * `ky-auth` as a user would.
 */
export function compileSnippets(root: string, blocks: readonly CodeBlock[]): DocsCompilation {
	const library = readConfig(join(root, 'tsconfig.json'));
	const libraryProgram = ts.createProgram(library.fileNames, {
		...library.options,
		noEmit: false,
		declaration: true,
		emitDeclarationOnly: true,
		declarationMap: false,
		sourceMap: false,
	});
	const virtual = new Map<string, string>();
	const emitted = libraryProgram.emit(undefined, (fileName, text) => virtual.set(fileName, text));
	const dist = join(root, 'dist') + '/';
	const setup = format(emitted.diagnostics, root);
	if (!virtual.has(join(dist, 'index.d.ts'))) setup.push(`building the declarations wrote no ${join(dist, 'index.d.ts')}`);
	serveSubpathEntries(root, dist, virtual);

	const layout = layoutSnippets(root, blocks);
	for (const [block, path] of layout.paths) virtual.set(path, block.code);
	for (const [path, code] of layout.shared) virtual.set(path, code);
	const virtualDirectories = new Set<string>();
	for (const path of virtual.keys()) {
		for (let directory = dirname(path); directory.length > root.length; directory = dirname(directory)) virtualDirectories.add(directory);
	}

	const config = readConfig(join(root, 'test', 'docs', 'tsconfig.json'));
	const host = ts.createCompilerHost(config.options);
	// dist/ is answered from the fresh build only, never from a stale build on disk.
	const hidden = (path: string) => path.startsWith(dist);
	const {fileExists, readFile, getSourceFile, directoryExists} = host;
	host.fileExists = path => virtual.has(path) || (!hidden(path) && fileExists.call(host, path));
	host.readFile = path => virtual.get(path) ?? (hidden(path) ? undefined : readFile.call(host, path));
	host.directoryExists = path => virtualDirectories.has(path) || directoryExists?.call(host, path) === true;
	host.realpath = path => (virtual.has(path) || virtualDirectories.has(path) ? path : ts.sys.realpath?.(path) ?? path);
	host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
		const text = virtual.get(path);
		if (text !== undefined) return ts.createSourceFile(path, text, languageVersion, true);
		return hidden(path) ? undefined : getSourceFile.call(host, path, languageVersion, onError, shouldCreate);
	};
	const program = ts.createProgram([...config.fileNames, ...layout.paths.values()], config.options, host);
	setup.push(...format([...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()], root));
	// Syntax only for the fixtures: skipLibCheck leaves .d.ts files unchecked, their misuse shows in the snippets.
	for (const fixture of config.fileNames) {
		const file = program.getSourceFile(fixture);
		if (file) setup.push(...format(program.getSyntacticDiagnostics(file), root));
	}

	return {
		setup,
		check(block) {
			const problem = layout.problems.get(block);
			if (problem !== undefined) return [problem];
			const path = layout.paths.get(block);
			const file = path === undefined ? undefined : program.getSourceFile(path);
			if (!file) return [`${block.file}:${block.line} was not compiled`];
			const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
			// The code starts on the line after the opening fence.
			return format(diagnostics, root, line => `${block.file}:${block.line + 1 + line}`);
		},
	};
}
