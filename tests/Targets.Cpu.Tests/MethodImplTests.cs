using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Targets.Cpu.Tests;

/// <summary>Helpers marked for .NET's JIT, and a caller of both.</summary>
public static class MethodImplSamples
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Cold(int x) => x * 3 + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hot(int x) => x ^ 5;

    public static int Both(int x) => Cold(x) + Hot(x);
}

/// <summary>
/// <c>[MethodImpl(NoInlining)]</c> and <c>[MethodImpl(AggressiveInlining)]</c> reach LLVM as <c>noinline</c> and
/// <c>alwaysinline</c> on the helper's definition (the collections keep their growth out of line by the first), and the
/// caller still agrees with .NET.
/// </summary>
public sealed class MethodImplTests
{
    static readonly CpuTarget Cpu = new();

    [Theory]
    [InlineData(nameof(MethodImplSamples.Cold), "noinline")]
    [InlineData(nameof(MethodImplSamples.Hot), "alwaysinline")]
    public void A_methods_inlining_flag_is_an_llvm_attribute(string helper, string attribute)
    {
        CompiledFunction f = Cpu.Compile(MethodImplSamples.Both);
        string llvm = f.Inspect(Stage.Llvm);
        Match define = Regex.Match(llvm, $@"define internal i32 @""?Targets\.Cpu\.Tests\.MethodImplSamples\.{helper}""?\(.*\) #(\d+)");
        Assert.True(define.Success, $"no definition of {helper} with attributes in:\n{llvm}");
        Match group = Regex.Match(llvm, $@"attributes #{define.Groups[1].Value} = \{{([^}}]*)\}}");
        Assert.True(group.Success && group.Groups[1].Value.Split(' ').Contains(attribute), $"attributes of {helper}: {group.Value}");
        Assert.Equal(MethodImplSamples.Both(41), f.AsDelegate<Func<int, int>>()(41));
    }
}
