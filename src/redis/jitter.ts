/** `milliseconds` plus up to a quarter more, at random: processes that wait together do not wake together. */
export function jittered(milliseconds: number): number {
	return milliseconds + Math.random() * milliseconds / 4;
}
