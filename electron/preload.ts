// The only door from the page to the app: `window.dailyBrief`, one method per API call. No ipcRenderer,
// no generic invoke, no Node: the window is sandboxed and this file is all it gets.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge, readCallList } from './bridge.ts';

contextBridge.exposeInMainWorld('dailyBrief', buildBridge(readCallList(process.argv), ipcRenderer));
