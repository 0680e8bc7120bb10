import {execFile} from 'node:child_process';
import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';

const run = promisify(execFile);
const script = 'scripts/check-layers.mjs';

/** Runs the layering check on `dir` as `npm run check` does: its exit code and what it printed. */
async function checkLayers(dir: string): Promise<{code: number; output: string}> {
	try {
		const {stdout} = await run(process.execPath, [script, dir]);
		return {code: 0, output: stdout};
	} catch (error) {
		const failed = error as {code: number; stderr: string};
		return {code: failed.code, output: failed.stderr};
	}
}

describe('layering (ARCHITECTURE.md, "Layers"), checked by `npm run check`', () => {
	const copies: string[] = [];
	/** A copy of src/ to break on purpose. */
	function copyOfSrc(): string {
		const dir = mkdtempSync(join(tmpdir(), 'ky-auth-layers-'));
		copies.push(dir);
		cpSync('src', dir, {recursive: true});
		return dir;
	}
	afterAll(() => {
		for (const dir of copies) {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('holds in src/: no import circle, every import points down a level', async () => {
		const result = await checkLayers('src');
		expect(result.output).toContain('no import circle');
		expect(result.code).toBe(0);
	});

	it('fails on an import circle between two files of one folder', async () => {
		const dir = copyOfSrc();
		writeFileSync(join(dir, 'utils', 'circle-a.ts'), "import {b} from './circle-b.js';\nexport const a = (): number => b();\n");
		writeFileSync(join(dir, 'utils', 'circle-b.ts'), "import {a} from './circle-a.js';\nexport const b = (): number => a();\n");
		const result = await checkLayers(dir);
		expect(result.code).toBe(1);
		expect(result.output).toMatch(/import circle among: src\/utils\/circle-[ab]\.ts, src\/utils\/circle-[ab]\.ts/);
	});

	it('fails on an arrow back up (a store importing the session) and on a type-only import alike', async () => {
		const dir = copyOfSrc();
		writeFileSync(join(dir, 'stores', 'back.ts'), "import type {AuthSession} from '../session/auth-session.js';\nexport type Back = AuthSession;\n");
		const result = await checkLayers(dir);
		expect(result.code).toBe(1);
		expect(result.output).toContain('src/stores/back.ts imports src/session/auth-session.ts: stores/ may import only from folders below it, and session/ is above it');
	});

	it('fails on an import between siblings and on a folder with no level', async () => {
		const dir = copyOfSrc();
		writeFileSync(join(dir, 'schemes', 'sideways.ts'), "export {memoryStore} from '../stores/memory-store.js';\n");
		cpSync(join(dir, 'utils'), join(dir, 'newfolder'), {recursive: true});
		const result = await checkLayers(dir);
		expect(result.code).toBe(1);
		expect(result.output).toContain('schemes/ may import only from folders below it, and stores/ is at its level');
		expect(result.output).toContain('its folder newfolder/ has no level');
	});
});
