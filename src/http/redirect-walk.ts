import {discard} from './hop.js';
import {maxRedirects, nextHop, redirectStatuses} from './redirects.js';

/**
 * What walking a redirect chain again told about a 401 that came back after the platform followed it:
 * - `left`: a hop leads to another origin. The platform drops `Authorization` there for the rest of the chain,
 *   so the 401 at its end was never about the token (A → B → A); nothing after that hop was sent.
 * - `reached`: every hop up to the one that answered 401 stays on the request's origin, so the token was
 *   presented and refused there; `hop` is that hop's request, not sent yet.
 * - `answered`: a hop on the origin answered before the chain got there (it changed); its response.
 * - `hidden`: the platform hides redirects from scripts (browsers): nothing learnt, and nothing will be.
 * - `unclear`: the chain broke or ran past the redirect limit this time: nothing learnt.
 */
export type ChainWalk =
	| {readonly kind: 'left'}
	| {readonly kind: 'reached'; readonly hop: Request}
	| {readonly kind: 'answered'; readonly response: Response}
	| {readonly kind: 'hidden'}
	| {readonly kind: 'unclear'};

const hidden: ChainWalk = {kind: 'hidden'};
const unclear: ChainWalk = {kind: 'unclear'};
const left: ChainWalk = {kind: 'left'};

/**
 * Walks the chain `first` started, hop by hop with `redirect: 'manual'` (each hop sent by `sendHop`, with the
 * credentials the first attempt had), until it knows whether the token reached `answeredAt`, the URL whose 401
 * came back: it stops at the first hop that leaves the origin, or before sending `answeredAt`. Only after a
 * redirected 401, never on the way of a request without one.
 */
export async function walkTo(first: Request, answeredAt: string, sendHop: (hop: Request) => Promise<Response>): Promise<ChainWalk> {
	const {origin} = new URL(first.url);
	let hop = new Request(first, {redirect: 'manual'});
	for (let count = 0; count < maxRedirects; count++) {
		// A 307/308 replays the body: keep a copy until the answer says whether it is needed.
		const spare = hop.body === null ? undefined : hop.clone();
		const response = await sendHop(hop);
		const location = redirectStatuses.has(response.status) ? response.headers.get('location') : null;
		if (response.type === 'opaqueredirect' || location === null) {
			discard(spare);
			return response.type === 'opaqueredirect' ? hidden : {kind: 'answered', response};
		}
		discard(response);
		let target: URL;
		try {
			target = new URL(location, hop.url);
		} catch {
			return unclear;
		}
		if (target.origin !== origin) {
			discard(spare);
			return left;
		}
		hop = await nextHop(hop, spare, response.status, target, []);
		target.hash = '';
		if (target.href === answeredAt) {
			return {kind: 'reached', hop: new Request(hop, {redirect: first.redirect})};
		}
	}
	return unclear;
}
