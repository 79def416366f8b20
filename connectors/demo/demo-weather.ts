export function demoWeatherItem(): never { throw new Error('x'); } export type DemoWeather = unknown;
