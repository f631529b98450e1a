import type { Config } from '../config';
import { rateLimiterFromConfig, RateLimitOptions } from './rate-limit';
import type { PreHandler } from './request';

/** What `startServer` runs before routing unless given its own pre-handlers. */
export function defaultPreHandlers(config: Config, onRateLimited?: RateLimitOptions['onRefusal']): PreHandler[] {
  return [rateLimiterFromConfig(config, undefined, onRateLimited)];
}

/** Releases what pre-handlers hold (the rate limiter's Redis connection); those without `close` are skipped. */
export async function closePreHandlers(handlers: readonly PreHandler[]): Promise<void> {
  await Promise.all(handlers.map((handler) => (handler as PreHandler & { close?: () => Promise<void> }).close?.()));
}
