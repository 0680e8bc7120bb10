/** Set by the build (tsup.config.ts): `false` in the browser production build, `true` in the default one. */
declare const __KY_AUTH_DEV__: boolean | undefined;
/** Set by the build (tsup.config.ts): `true` in the browser production build only. */
declare const __KY_AUTH_BROWSER_PRODUCTION__: boolean | undefined;
/** Set by the build to the package's version, for the links in short messages. */
declare const __KY_AUTH_VERSION__: string | undefined;

/**
 * Whether messages are the full ones: everywhere but the browser production build (`dist/production/`, picked
 * by the `browser` + `production` export conditions), where every long text behind `dev ? … : …` is dropped at
 * build time and a message is its code with a link to the page that explains it. Unbuilt sources (tests) are full.
 */
export const dev: boolean = typeof __KY_AUTH_DEV__ === 'undefined' || __KY_AUTH_DEV__;

/**
 * Whether this is the browser production build (`dist/production/`): only browsers load it, so code that can
 * only matter outside a browser (where a platform shows scripts the redirects it follows) is left out of it.
 */
export const browserProduction: boolean = typeof __KY_AUTH_BROWSER_PRODUCTION__ !== 'undefined' && __KY_AUTH_BROWSER_PRODUCTION__;

/** The page that explains every error code, for this version. */
const errorsPage = `https://unpkg.com/ky-auth@${typeof __KY_AUTH_VERSION__ === 'undefined' ? 'latest' : __KY_AUTH_VERSION__}/docs/errors.md`;

/** The short message of the production build: the code and where it is explained (`#code`, lowercased, as the page's anchors). */
export function seeDocs(code: string): string {
	return `${code}: see ${errorsPage}#${code.toLowerCase()}`;
}
