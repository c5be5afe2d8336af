// Tests seed torch's global generator (manual_seed) and draw from it: the models' initialisation, SparK's
// masks and drop path. That generator is process-wide, so test classes running in parallel would interleave
// their draws and break every seeded comparison; on two cores libtorch's own threads use the CPUs anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
