// Each test here runs whole experiments in child processes whose libtorch threads spin at barriers: two at once on
// two cores slow each other many times over (a ci.yaml run beside ten SparK runs missed its 10-minute guard).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
