using System.Buffers.Binary;
using System.Text;
using Targets.Llvm.Interop;
using Targets.Runtime;

namespace Targets.Llvm;

/// <summary>
/// The NRT runtime (<see cref="NrtRuntimeIr"/>) as an object file: compiled for a target machine
/// (<c>default&lt;O2&gt;</c>), and packed with the IR it was compiled from, so that an object built
/// with the compiler (by <c>tools/Targets.NrtObject</c>, for any x86-64 CPU) is used only by a
/// compiler whose runtime IR is the same text — never a stale runtime.
/// </summary>
public static class NrtRuntimeObject
{
    /// <summary>The runtime module's name (its object's file name in LLVM's messages).</summary>
    public const string Module = "nrt";

    /// <summary>The name Targets.Cpu embeds the packed object under (its project file's <c>LogicalName</c>).</summary>
    public const string Resource = "nrt-runtime";

    /// <summary>The runtime's IR as packed (UTF-8).</summary>
    static byte[] IrBytes => Encoding.UTF8.GetBytes(NrtRuntimeIr.Text);

    /// <summary>
    /// The machine a runtime built with the compiler is compiled for: x86-64 Linux, the baseline CPU
    /// (any x86-64 runs it), position-independent, the code model our loaders take. The runtime's
    /// hot paths (reference counts, pool allocation) are inlined into compiled code, which is
    /// compiled for the host CPU; what stays in the runtime (slow paths, destructors' worklist,
    /// the pools' refills) gains nothing measurable from AVX.
    /// </summary>
    public static TargetMachine PortableMachine() =>
        TargetMachine.Create("x86_64-pc-linux-gnu", "x86-64", "", LLVMCodeGenOptLevel.Aggressive, LLVMRelocMode.PIC, LLVMCodeModel.JITDefault);

    /// <summary>Compiles the runtime for <paramref name="machine"/>, each step's time added to <paramref name="timings"/> as "NRT runtime: ...".</summary>
    public static byte[] Compile(TargetMachine machine, CompileTimings timings)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(timings);
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = timings.Measure("NRT runtime: parse IR", () => context.ParseIr(NrtRuntimeIr.Text, Module));
        machine.Configure(module);
        timings.Measure("NRT runtime: optimise (default<O2>)", () => machine.Optimize(module, "default<O2>"));
        return timings.Measure("NRT runtime: code generation", () => machine.EmitObject(module));
    }

    /// <summary>The object file with the IR it was compiled from: a length-prefixed UTF-8 copy of the IR, then the object.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> objectFile)
    {
        byte[] ir = IrBytes;
        var packed = new byte[4 + ir.Length + objectFile.Length];
        BinaryPrimitives.WriteInt32LittleEndian(packed, ir.Length);
        ir.CopyTo(packed, 4);
        objectFile.CopyTo(packed.AsSpan(4 + ir.Length));
        return packed;
    }

    /// <summary>The object file of <paramref name="packed"/> when it was compiled from this compiler's runtime IR; otherwise null.</summary>
    public static byte[]? Unpack(ReadOnlySpan<byte> packed)
    {
        if (packed.Length < 4)
            return null;
        int length = BinaryPrimitives.ReadInt32LittleEndian(packed);
        if (length < 0 || length > packed.Length - 4)
            return null;
        return packed.Slice(4, length).SequenceEqual(IrBytes) ? packed[(4 + length)..].ToArray() : null;
    }
}
