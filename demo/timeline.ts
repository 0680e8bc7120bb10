/** Prints the demo's timeline: elapsed milliseconds, steps, session events and checks (✔/✘). */

export interface Timeline {
	/** Milliseconds since the timeline started. */
	elapsed(): number;
	/** Starts a numbered step. */
	step(title: string): void;
	/** A plain line. */
	note(text: string): void;
	/** A session event as it fires. */
	event(name: string, detail?: string): void;
	/** Records an expectation; returns `ok`. */
	check(label: string, ok: boolean, detail?: string): boolean;
	/** A final table of name/value rows. */
	table(title: string, rows: ReadonlyArray<readonly [string, string | number]>): void;
	/** How many checks passed and failed. */
	result(): {passed: number; failed: number};
}

export function createTimeline(write: (line: string) => void = line => {
	process.stdout.write(`${line}\n`);
}): Timeline {
	const start = performance.now();
	let steps = 0;
	let passed = 0;
	let failed = 0;
	const elapsed = (): number => Math.round(performance.now() - start);
	const line = (marker: string, text: string): void => {
		write(`${String(elapsed()).padStart(6)} ms  ${marker} ${text}`);
	};
	return {
		elapsed,
		step(title) {
			steps++;
			write('');
			line('──', `${steps}. ${title}`);
		},
		note(text) {
			line(' ·', text);
		},
		event(name, detail) {
			line(' ⚑', detail === undefined ? `event '${name}'` : `event '${name}' ${detail}`);
		},
		check(label, ok, detail) {
			if (ok) {
				passed++;
			} else {
				failed++;
			}
			line(ok ? ' ✔' : ' ✘', detail === undefined ? label : `${label} (${detail})`);
			return ok;
		},
		table(title, rows) {
			write('');
			write(title);
			const width = Math.max(...rows.map(([name]) => name.length));
			for (const [name, value] of rows) {
				write(`  ${name.padEnd(width)}  ${String(value).padStart(4)}`);
			}
		},
		result: () => ({passed, failed}),
	};
}
