import { describe, expect, it } from 'vitest';
import { isTenantAllowed } from '../../src/model/tenants.js';

describe('isTenantAllowed', () => {
  it('allows every tenant when the list is empty', () => {
    expect(isTenantAllowed('72F988BF-0000-4000-8000-000000000001', [])).toBe(true);
  });
  it('allows only listed tenants, whatever the case', () => {
    const allowed = ['72f988bf-0000-4000-8000-000000000001'];
    expect(isTenantAllowed('72F988BF-0000-4000-8000-000000000001', allowed)).toBe(true);
    expect(isTenantAllowed('11111111-2222-4333-8444-555555555555', allowed)).toBe(false);
  });
});
