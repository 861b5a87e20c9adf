/** Which worker a run measures: the kit's worker app, or a bare BullMQ Worker. */
export type BenchSide = 'kit' | 'raw';
