/** The dated price table moved to local/aws-prices.ts (the simulator prices with it too); bench scripts import it from here. */
export * from '../local/aws-prices.ts';
