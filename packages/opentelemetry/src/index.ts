export { type GrantKitInstrumentationOptions, instrumentGrantKit } from './instrument-grant-kit.js';
