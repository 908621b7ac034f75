// One device, one context: the hardware tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
