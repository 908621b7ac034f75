namespace Targets.Cpu.Tests.Harness;

/// <summary>Reading a compiled function's printed IR (<see cref="Stage.Ir"/>) in tests.</summary>
internal static class IrText
{
    /// <summary>The part of <paramref name="f"/>'s IR that is the function <c>Targets.Cpu.Tests.</c><paramref name="name"/>.</summary>
    public static string Of(CpuCompiledFunction f, string name)
    {
        string ir = f.Inspect(Stage.Ir);
        int start = ir.IndexOf("function Targets.Cpu.Tests." + name + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no function {name} in:\n{ir}");
        int end = ir.IndexOf("\nfunction ", start + 1, StringComparison.Ordinal);
        return end < 0 ? ir[start..] : ir[start..end];
    }
}
