// Checks the layering of src/: no import circle between files, and no import from a folder to one at its own
// level or above (ARCHITECTURE.md, "Layers"). Run by `npm run check`; test/architecture/layers.test.ts runs it too.
// usage: node scripts/check-layers.mjs [srcDir]
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * The folders of src/ from the bottom up: a folder imports only from folders of a lower level. Folders on one
 * line are siblings and do not import each other. `(root)` is src/index.ts.
 */
export const layers = [
	['utils'],
	['redact'],
	['challenge'],
	['errors'],
	['types'],
	['record'],
	['stores', 'schemes'],
	['session', 'redis'],
	['http', 'oauth'],
	['bindings'],
	['react', 'vue', 'svelte'],
	['(root)'],
];

const importPattern = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const dynamicImportPattern = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir) {
	return readdirSync(dir).flatMap(name => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			return sourceFiles(path);
		}
		return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

function targetOf(from, specifier) {
	const path = resolve(dirname(from), specifier);
	return path.endsWith('.js') ? path.slice(0, -3) + '.ts' : (path.endsWith('.ts') ? path : path + '.ts');
}

/** The relative imports of every file under `srcDir`: file → files it imports. */
export function importGraph(srcDir) {
	const graph = new Map();
	for (const file of sourceFiles(srcDir)) {
		const text = readFileSync(file, 'utf8');
		const targets = new Set();
		for (const pattern of [importPattern, dynamicImportPattern]) {
			for (const match of text.matchAll(pattern)) {
				targets.add(targetOf(file, match[1]));
			}
		}
		graph.set(file, targets);
	}
	return graph;
}

/** The import circles of `graph`, each as a list of files (strongly connected components of two files or more, or a file importing itself). */
export function circles(graph) {
	let next = 0;
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const found = [];
	const visit = file => {
		index.set(file, next);
		low.set(file, next);
		next++;
		stack.push(file);
		onStack.add(file);
		for (const target of graph.get(file) ?? []) {
			if (!graph.has(target)) {
				continue;
			}
			if (!index.has(target)) {
				visit(target);
				low.set(file, Math.min(low.get(file), low.get(target)));
			} else if (onStack.has(target)) {
				low.set(file, Math.min(low.get(file), index.get(target)));
			}
		}
		if (low.get(file) === index.get(file)) {
			const component = [];
			let member;
			do {
				member = stack.pop();
				onStack.delete(member);
				component.push(member);
			} while (member !== file);
			if (component.length > 1 || graph.get(file).has(file)) {
				found.push(component.reverse());
			}
		}
	};
	for (const file of graph.keys()) {
		if (!index.has(file)) {
			visit(file);
		}
	}
	return found;
}

/** Every problem found under `srcDir`, as lines of text; empty when the layering holds. */
export function checkLayers(srcDir) {
	const root = resolve(srcDir);
	const graph = importGraph(root);
	const problems = [];
	const folderOf = file => {
		const parts = relative(root, file).split('/');
		return parts.length > 1 ? parts[0] : '(root)';
	};
	const levelOf = folder => layers.findIndex(level => level.includes(folder));
	for (const file of graph.keys()) {
		if (levelOf(folderOf(file)) === -1) {
			problems.push(`src/${relative(root, file)}: its folder ${folderOf(file)}/ has no level in scripts/check-layers.mjs (add it to \`layers\` and to ARCHITECTURE.md)`);
		}
	}
	for (const [file, targets] of graph) {
		for (const target of targets) {
			const from = folderOf(file);
			const to = folderOf(target);
			if (from === to) {
				continue;
			}
			if (levelOf(to) >= levelOf(from)) {
				problems.push(`src/${relative(root, file)} imports src/${relative(root, target)}: ${from}/ may import only from folders below it, and ${to}/ is ${levelOf(to) === levelOf(from) ? 'at its level' : 'above it'}`);
			}
		}
	}
	for (const circle of circles(graph)) {
		const names = circle.map(file => `src/${relative(root, file)}`);
		problems.push(`import circle among: ${names.join(', ')}`);
	}
	return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const srcDir = process.argv[2] ?? 'src';
	const problems = checkLayers(srcDir);
	if (problems.length > 0) {
		console.error(`check-layers: ${problems.length} problem(s) in ${srcDir}:\n${problems.map(line => `  ${line}`).join('\n')}`);
		process.exit(1);
	}
	console.log(`check-layers: ${importGraph(srcDir).size} files, no import circle, every import points down a level`);
}
