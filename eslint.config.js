// @ts-check
import {defineConfig} from 'eslint/config';
import {builtinRules} from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

/**
 * ESLint's own "recommended" rule set, read from the rules' metadata: this is exactly what `@eslint/js`
 * `configs.recommended` contains, without adding that package (eslint is pinned, so the set is stable).
 * @type {import('eslint').Linter.RulesRecord}
 */
const eslintRecommended = Object.fromEntries(
	[...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

/** The few globals the plain-JS build scripts use (no `globals` package needed for so little). */
const nodeGlobals = /** @type {const} */ ({
	process: 'readonly',
	console: 'readonly',
	URL: 'readonly',
	AbortController: 'readonly',
	setTimeout: 'readonly',
	clearTimeout: 'readonly',
});

const tsFiles = ['**/*.ts', '**/*.mts', '**/*.cts'];
const testFiles = ['test/**/*.ts'];

export default defineConfig(
	{
		// bench/ and demo/ belong to other engineers and run against the built package.
		ignores: ['dist/**', 'node_modules/**', 'bench/**', 'demo/**', 'coverage/**', '.pack/**', '.vitest/**', '.vitest-attachments/**'],
	},
	{
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			...eslintRecommended,
			// Noise here: flags a defensive initialiser before try/catch (`let own = ''; try {own = …} catch {own = ''}`),
			// which TypeScript's definite-assignment checks already make safe either way.
			'no-useless-assignment': 'off',
		},
	},
	{
		files: tsFiles,
		extends: [tseslint.configs.recommendedTypeChecked],
		languageOptions: {
			parserOptions: {
				// src/ resolves to ./tsconfig.json and test/ to test/tsconfig.json (nearest tsconfig wins);
				// the root *.config.ts files belong to neither, so they get the root compiler options.
				projectService: {allowDefaultProject: ['*.config.ts', 'scripts/*.d.mts'], defaultProject: 'tsconfig.json'},
				tsconfigRootDir: import.meta.dirname,
			},
		},
		rules: {
			// A library made of promises: a dropped or misplaced promise is a hang or an unhandled rejection.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/return-await': ['error', 'in-try-catch'],
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			// Noise here: src keeps a few redundant casts at ky's loosely typed boundaries (`options as
			// AuthClientOptions`, `fetch as KyFetch`) as documentation of what flows there; they cost nothing
			// at run time. Re-enable once those casts are dropped.
			'@typescript-eslint/no-unnecessary-type-assertion': 'off',
		},
	},
	{
		files: testFiles,
		rules: {
			// Tests deliberately poke at untyped values (parsed JSON bodies, mock call arguments, wrong inputs).
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			// `expect(session.refresh)` / `vi.spyOn(store, 'get')` pass methods around on purpose.
			'@typescript-eslint/unbound-method': 'off',
			// Callbacks handed to msw, vi.fn() and stores are async to match the signature under test.
			'@typescript-eslint/require-await': 'off',
			// `@ts-expect-error` is how the type tests assert that wrong options do not compile.
			'@typescript-eslint/ban-ts-comment': ['error', {'ts-expect-error': false}],
			// Tests build throw-away values and rejections of every kind on purpose.
			'@typescript-eslint/only-throw-error': 'off',
			'@typescript-eslint/prefer-promise-reject-errors': 'off',
			'@typescript-eslint/no-empty-function': 'off',
			// Kept on in tests: a forgotten await there makes an assertion pass vacuously.
			'@typescript-eslint/no-floating-promises': 'error',
		},
	},
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		extends: [tseslint.configs.disableTypeChecked],
		languageOptions: {globals: nodeGlobals},
	},
);
