using Targets;
using Targets.Llvm;

// targets-nrt-object OUTPUT: the NRT runtime compiled for any x86-64 CPU, packed with its IR
// (NrtRuntimeObject.Pack), written to OUTPUT through a temporary file (a failed run leaves no
// half-written object for the build to embed). Exit 1 with LLVM's message when LLVM cannot.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: targets-nrt-object OUTPUT");
    return 2;
}
try
{
    using TargetMachine machine = NrtRuntimeObject.PortableMachine();
    byte[] packed = NrtRuntimeObject.Pack(NrtRuntimeObject.Compile(machine, new CompileTimings()));
    string temporary = args[0] + ".tmp";
    File.WriteAllBytes(temporary, packed);
    File.Move(temporary, args[0], overwrite: true);
    return 0;
}
catch (Exception e) when (e is DllNotFoundException or LlvmException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"targets-nrt-object: {e.Message}");
    return 1;
}
