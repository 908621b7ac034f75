using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench -- --filter '*'            the whole suite (a few minutes on 2 cores)
// dotnet run -c Release --project bench -- --filter '*MatMul*'     one class
BenchmarkSwitcher.FromAssembly(typeof(Targets.Bench.ShortConfig).Assembly).Run(args);
