// The simulator runs a cooperative launch on one OS thread per simulated thread: the tests of
// this assembly run one at a time so they do not compete for the two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
