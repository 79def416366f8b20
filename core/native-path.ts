/**
 * A native file's path outside Electron's app.asar archive. A `.node` addon is redirected by Electron itself,
 * but a file handed to something else (SQLite's own dlopen for an extension, a server started as a process)
 * cannot be read inside the archive; electron-builder's `asarUnpack` keeps a copy in `app.asar.unpacked`.
 * Outside a packaged app the path is returned as it is.
 */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}
