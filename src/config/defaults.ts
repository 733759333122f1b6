/** Defaults of the configuration that start-up paths need without loading zod (~40 ms). */

/** The manifest's default name, looked for in the working folder. */
export const DEFAULT_MANIFEST = 'flowgate.yaml';
