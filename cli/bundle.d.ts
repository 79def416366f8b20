// Types for cli/bundle.js, which stays JavaScript so the bin can read it before it knows whether types are stripped.
export declare const PROJECT_DIR: string;
export declare const BUNDLE_DIR: string;
export declare const BUNDLE_ENTRY: string;
export declare const MANIFEST: string;
export declare function freshBundle(bundleDir?: string, projectDir?: string): string | undefined;
