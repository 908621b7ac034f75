using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>A jit-class hierarchy for the virtual-call row: three classes, one abstract base.</summary>
[JitClass]
internal abstract class BenchShape
{
    public double Size;

    protected BenchShape(double size) => Size = size;

    public abstract double Area();
}

[JitClass]
internal sealed class BenchSquare(double size) : BenchShape(size)
{
    public override double Area() => Size * Size;
}

[JitClass]
internal sealed class BenchCircle(double size) : BenchShape(size)
{
    public override double Area() => 3.14159 * Size * Size;
}

[JitClass]
internal sealed class BenchTriangle(double size) : BenchShape(size)
{
    public override double Area() => 0.5 * Size * Size;
}

/// <summary>
/// Virtual calls on a jit-class base in a loop, against .NET's own virtual calls on the same classes: an array of
/// shapes of three classes, in a mixed order, whose areas are summed pass after pass.
/// </summary>
internal static class HierarchyWorkloads
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double VirtualAreas(int shapes, int passes)
    {
        var all = new BenchShape[shapes];
        for (int i = 0; i < shapes; i++)
        {
            double size = i % 17 * 0.25;
            all[i] = ((i * 7) % 3) switch { 0 => new BenchSquare(size), 1 => new BenchCircle(size), _ => new BenchTriangle(size) };
        }
        double total = 0;
        for (int p = 0; p < passes; p++)
        {
            for (int i = 0; i < all.Length; i++)
                total += all[i].Area();
        }
        return total;
    }
}
