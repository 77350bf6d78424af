import { hasUrl, type Capability, type CapabilityLevel, type WebLink } from './content.js';

/**
 * Where a next step sends people: the level's own links (its indicators', then its resources'), or, where
 * the level has none, the capability's "learn more" page (its section of the model's details page). Each
 * page once, in that order.
 */
export function stepLinks(capability: Capability, level: CapabilityLevel): WebLink[] {
  const own = [...level.indicators.flatMap((indicator) => indicator.links), ...level.resources].filter(hasUrl);
  const links = own.length > 0 ? own : [capability.learnMore].filter(hasUrl);
  const seen = new Set<string>();
  return links.filter((link) => !seen.has(link.url) && seen.add(link.url));
}
