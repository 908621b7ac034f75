using System.Reflection;

namespace Targets;

/// <summary>A compilation target: <c>cpu</c>, <c>parallel</c> or <c>cuda</c>.</summary>
public interface ITarget
{
    /// <summary>The target's name as the CLI shows it: "cpu", "parallel", "cuda".</summary>
    string Name { get; }

    /// <summary>
    /// Compiles a static method given as a method group (<c>target.Compile(MyCode.Sum)</c>) or any
    /// delegate to a static method. Compiling the same method twice returns the cached result.
    /// </summary>
    /// <exception cref="ArgumentException">The delegate targets an instance, a lambda closure or a dynamic method.</exception>
    /// <exception cref="CompilationException">The method uses C# the compiler does not support (<see cref="CompilationException.Code"/> says what).</exception>
    /// <exception cref="InternalCompilerErrorException">The compiler itself failed on the method: a bug to report.</exception>
    CompiledFunction Compile(Delegate method, CompileOptions? options = null);

    /// <inheritdoc cref="Compile(Delegate, CompileOptions?)"/>
    CompiledFunction Compile(MethodInfo method, CompileOptions? options = null);

    /// <summary>
    /// Runs a kernel — a static void method whose first parameter is an <see cref="Index1D"/> — once
    /// for every index <c>0 … extent-1</c>, with <paramref name="args"/> as its other parameters
    /// (<c>target.Launch(Kernels.Saxpy, n, 2f, x, y)</c>). The cpu target runs the indices in
    /// order; parallel splits them across cores; cuda launches a grid. The kernel is compiled on
    /// the first launch and cached.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel is not a static method, the extent is negative, or the arguments do not fit its parameters.</exception>
    /// <exception cref="CompilationException">The kernel uses C# the compiler does not support, or is not a kernel.</exception>
    /// <exception cref="InternalCompilerErrorException">The compiler itself failed on the kernel: a bug to report.</exception>
    void Launch(Delegate kernel, int extent, params object?[] args);

    /// <summary>
    /// Runs a kernel over <paramref name="extent"/> items, which may exceed <see cref="int.MaxValue"/>
    /// for a kernel taking a <see cref="LongIndex1D"/>; see <see cref="Launch(Delegate, int, object?[])"/>.
    /// </summary>
    void Launch(Delegate kernel, long extent, params object?[] args);

    /// <summary>Runs a kernel taking an <see cref="Index2D"/> over <c>(width, height)</c>; see <see cref="Launch(Delegate, int, object?[])"/>.</summary>
    void Launch(Delegate kernel, (int X, int Y) extent, params object?[] args);

    /// <summary>Runs a kernel taking an <see cref="Index3D"/> over <c>(width, height, depth)</c>; see <see cref="Launch(Delegate, int, object?[])"/>.</summary>
    void Launch(Delegate kernel, (int X, int Y, int Z) extent, params object?[] args);

    /// <summary>
    /// A launcher of <paramref name="kernel"/> as a typed delegate, for launches in a hot loop:
    /// <typeparamref name="TLauncher"/> returns void, its first parameter is the extent — <c>int</c> or
    /// <c>long</c> for an <see cref="Index1D"/> or <see cref="LongIndex1D"/> kernel, <c>(int, int)</c> for
    /// <see cref="Index2D"/>, <c>(int, int, int)</c> for <see cref="Index3D"/> — and the others are the
    /// kernel's parameters after its index, with their own types
    /// (<c>target.Launcher&lt;Action&lt;int, float, float[], float[]&gt;&gt;(Kernels.Saxpy)</c>). A launch through it
    /// does what <see cref="Launch(Delegate, int, object?[])"/> does; the kernel is compiled and the delegate's
    /// types checked once, here, so the cpu and parallel targets' launches box nothing and check only the extent.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel is not a static method, takes functions (launch it with <c>Launch</c>), or <typeparamref name="TLauncher"/> does not fit it.</exception>
    /// <exception cref="CompilationException">The kernel uses C# the compiler does not support, or is not a kernel.</exception>
    TLauncher Launcher<TLauncher>(Delegate kernel) where TLauncher : Delegate => Frontend.TypedLaunchers.Boxing<TLauncher>(this, kernel);
}
