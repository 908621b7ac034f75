// NRT counters are process-wide and the oracle checks that they balance around every compiled run:
// the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
