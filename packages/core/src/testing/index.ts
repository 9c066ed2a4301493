export { type FetchHandler, type ServedHandler, serveFetchHandler } from './serve-fetch-handler.js';
