/**
 * ARCHITECTURE.md stays true (issue 18): every file and folder it names exists. A name with a slash from the
 * repository's root is checked there; a bare name (`validate.ts`, `tokens/`) is checked in the folder its line or
 * its section is about.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {layers} from '../../scripts/check-layers.mjs';

const page = readFileSync('ARCHITECTURE.md', 'utf8');
const rootFolders = ['src/', 'test/', 'scripts/', 'bench/', 'demo/', 'docs/', '.ci/'];
const pathLike = /^(?:[\w.-]+\/)*[\w.-]+(?:\.(?:ts|tsx|mjs|md|json)|\/)$/;

/** Every backticked path-like name of `line`. */
function namesOn(line: string): string[] {
	return [...line.matchAll(/`([^`\s]+)`/g)].map(match => match[1] ?? '').filter(name => pathLike.test(name) && !name.startsWith('ky-auth'));
}

/** Where each name of the page must exist, by line: [line number, name, candidate paths]. */
function references(): Array<{line: number; name: string; candidates: string[]}> {
	const found: Array<{line: number; name: string; candidates: string[]}> = [];
	let section = '';
	let fenced = false;
	for (const [index, line] of page.split('\n').entries()) {
		if (line.startsWith('```')) {
			fenced = !fenced;
			continue;
		}
		if (fenced) {
			continue;
		}
		const names = namesOn(line);
		if (line.startsWith('#')) {
			section = names.find(name => name.endsWith('/')) ?? '';
		}
		const first = names[0];
		const lineFolder = line.trimStart().startsWith('- ') && first?.endsWith('/') === true ? first : '';
		for (const name of names) {
			const rooted = rootFolders.some(folder => name.startsWith(folder)) || !name.includes('/') && existsSync(name);
			const candidates = rooted ? [name] : [join(section, lineFolder, name), join(section, name), join(lineFolder, name), name];
			found.push({line: index + 1, name, candidates});
		}
	}
	return found;
}

describe('ARCHITECTURE.md', () => {
	const named = references();

	it('names the code: at least the folders of src/ and a file per invariant', () => {
		expect(named.length).toBeGreaterThan(100);
	});

	it('names only files and folders that exist', () => {
		const missing = named.filter(({candidates}) => !candidates.some(candidate => existsSync(candidate))).map(({line, name}) => `ARCHITECTURE.md:${line} ${name}`);
		expect(missing).toEqual([]);
	});

	it('maps every folder of src/ and states the layers as scripts/check-layers.mjs checks them', () => {
		const folders = layers.flat().filter(folder => folder !== '(root)');
		for (const folder of folders) {
			expect(page, folder).toContain(`\`src/${folder}/\``);
		}
		const stated = page.split('\n').find(line => line.startsWith('utils → '));
		const expected = layers.map(level => (level.includes('(root)') ? 'index.ts' : level.length > 1 ? `{${level.join(', ')}}` : level[0])).join(' → ');
		expect(stated).toBe(expected);
		expect(existsSync(join('src', 'index.ts'))).toBe(true);
	});
});
