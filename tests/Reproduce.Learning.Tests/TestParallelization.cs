// Test classes run one at a time: some set process-wide native state (the freed-buffer poisoning of the
// garbage tests, the heap's retention, torch's thread count) that would leak into a class running beside
// them, and on two cores libtorch's own threads use the CPUs anyway. Randomness is no reason: models draw
// only from the generators their test gives them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
