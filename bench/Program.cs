using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench -- --filter '*'            the whole suite (a few minutes on 2 cores)
// dotnet run -c Release --project bench -- --filter '*MatMul*'     one class
// dotnet run -c Release --project bench -- ptx [80]                  our PTX vs ILGPU's: SASS instructions and registers (no GPU needed)
// dotnet run -c Release --project bench -- ptx-files 90 DIR          the same PTX as files, for the SASS comparison with nvcc on a GPU machine
if (args is ["ptx", ..])
    return Targets.Bench.PtxComparison.Run(args);
if (args is ["ptx-files", ..])
    return Targets.Bench.PtxComparison.WriteFiles(args);
BenchmarkSwitcher.FromAssembly(typeof(Targets.Bench.ShortConfig).Assembly).Run(args);
return 0;
