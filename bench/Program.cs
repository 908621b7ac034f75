using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench -- --filter '*'            the whole suite (a few minutes on 2 cores)
// dotnet run -c Release --project bench -- --filter '*MatMul*'     one class
// dotnet run -c Release --project bench -- ptx [80]                  our PTX vs ILGPU's: SASS instructions and registers (no GPU needed)
if (args is ["ptx", ..])
    return Targets.Bench.PtxComparison.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Targets.Bench.ShortConfig).Assembly).Run(args);
return 0;
