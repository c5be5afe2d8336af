// Tests seed torch's one global generator (manual_seed) and then draw from it — weight init, randperm,
// rand — expecting those draws alone; a test running in parallel would take draws in between.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
