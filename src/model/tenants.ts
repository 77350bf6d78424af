/** ALLOWED_TENANTS: an empty list allows every organisation; tenant ids compare case-insensitively. */
export function isTenantAllowed(tenantId: string, allowed: readonly string[]): boolean {
  return allowed.length === 0 || allowed.some((id) => id.toLowerCase() === tenantId.toLowerCase());
}
