/** The folders of src/ from the bottom up (scripts/check-layers.mjs). */
export declare const layers: readonly (readonly string[])[];
/** Every layering problem under `srcDir`, as lines of text; empty when the layering holds. */
export declare function checkLayers(srcDir: string): string[];
