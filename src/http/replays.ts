/**
 * The requests of successive attempts: `request` itself first, then copies of it, each made before any
 * credential was set, so a retried POST carries its body (and nothing of the attempt before). A request without
 * a body is its own copy (its credentials are taken off after each send).
 */
export function replays(request: Request): () => Request {
	if (request.body === null) {
		return () => request;
	}
	let spare = request.clone();
	let first = true;
	return () => {
		if (first) {
			first = false;
			return request;
		}
		const next = spare;
		spare = spare.clone();
		return next;
	};
}
