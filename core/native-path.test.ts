import { describe, expect, it } from 'vitest';
import { unpackedPath } from './native-path.ts';

describe('unpackedPath', () => {
  it('points a file inside app.asar at its unpacked copy', () => {
    expect(unpackedPath('/opt/Daily Brief/resources/app.asar/node_modules/sqlite-vec-linux-x64/vec0.so')).toBe(
      '/opt/Daily Brief/resources/app.asar.unpacked/node_modules/sqlite-vec-linux-x64/vec0.so',
    );
    expect(unpackedPath('C:\\Apps\\Daily Brief\\resources\\app.asar\\node_modules\\x\\vec0.dll')).toBe(
      'C:\\Apps\\Daily Brief\\resources\\app.asar.unpacked\\node_modules\\x\\vec0.dll',
    );
  });

  it('leaves every other path alone, already unpacked ones included', () => {
    for (const path of [
      '/home/me/daily-brief/node_modules/sqlite-vec-linux-x64/vec0.so',
      '/opt/app/resources/app.asar.unpacked/node_modules/x/vec0.so',
      '/home/me/app.asarx/vec0.so',
    ]) {
      expect(unpackedPath(path)).toBe(path);
    }
  });
});
