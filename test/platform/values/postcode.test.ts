import { normalizedPostcode } from '../../../src/platform/values/postcode';

test.each([
  ['1012 MA', '1012 MA'], ['1012ma', '1012 MA'], ['  1012   ma ', '1012 MA'], ['9999ZZ', '9999 ZZ'],
])('%s is the postcode %s', (term, shown) => {
  expect(normalizedPostcode(term)).toBe(shown);
});

test.each(['0123 AB', '1012', '1012 M', '1012 MAA', '10123 MA', '1012 SS', '1012 SA', '1012 SD', 'MA 1012', '1012-MA', ''])(
  '%s is no postcode', (term) => {
    expect(normalizedPostcode(term)).toBeNull();
  },
);
