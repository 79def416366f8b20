// electron-builder's `afterAllArtifactBuild` hook (electron-builder.yml): puts the AppImage's AppArmor profile next to
// each AppImage built, and returns its path, which electron-builder then publishes with the other artifacts (it adds
// returned paths to a release only when publishing; a plain `npm run dist` leaves the file in release/).
import { copyFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPARMOR_PROFILE = fileURLToPath(new URL('../build/linux/daily-brief-appimage.apparmor', import.meta.url));

/**
 * @param {{ outDir: string, artifactPaths: readonly string[] }} result electron-builder's BuildResult
 * @returns {string[]} the files to publish besides the artifacts: the profile, once per folder holding an AppImage
 */
export function afterAllArtifactBuild(result) {
  const folders = new Set(
    result.artifactPaths.filter((file) => file.endsWith('.AppImage')).map((file) => dirname(file)),
  );
  return [...folders].map((folder) => {
    const target = join(folder, basename(APPARMOR_PROFILE));
    copyFileSync(APPARMOR_PROFILE, target);
    return target;
  });
}
