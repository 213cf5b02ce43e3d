/** The only way code outside the domain reads time, so tests and the simulator can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
