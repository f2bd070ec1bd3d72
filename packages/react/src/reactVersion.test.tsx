import { version } from 'react';
import { describe, expect, it } from 'vitest';

describe('the React these tests run against', () => {
  it('is a supported major (the react-18 project swaps in React 18)', () => {
    expect(['18', '19']).toContain(version.split('.')[0]);
    console.info(`React ${version}`);
  });
});
