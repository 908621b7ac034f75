// NRT counters are process-wide and every test here checks that they balance (NrtLeakCheck):
// the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
