using Targets.Cpu.Tests.Harness;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A body of the n-body loops below.</summary>
[JitClass]
public sealed class Planet
{
    public double X, Y, Vx, Vy, Mass;
    public Planet? Partner;

    public Planet(double x, double y, double mass)
    {
        X = x;
        Y = y;
        Mass = mass;
    }
}

/// <summary>Loops over arrays of <see cref="Planet"/>s; the same C# runs on .NET and compiled.</summary>
public static class ElementCode
{
    static Planet[] Make(int n)
    {
        var bodies = new Planet[n];
        for (int i = 0; i < n; i++)
            bodies[i] = new Planet(i * 1.5, (i * 7) % 5, 1 + i % 3);
        return bodies;
    }

    /// <summary>The n-body step: elements read into variables, their fields read and written, no calls.</summary>
    public static void Advance(Planet[] bodies, double dt)
    {
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet bi = bodies[i];
            for (int j = i + 1; j < bodies.Length; j++)
            {
                Planet bj = bodies[j];
                double dx = bi.X - bj.X, dy = bi.Y - bj.Y;
                double d2 = dx * dx + dy * dy + 0.01;
                double mag = dt / (d2 * Math.Sqrt(d2));
                bi.Vx -= dx * bj.Mass * mag;
                bi.Vy -= dy * bj.Mass * mag;
                bj.Vx += dx * bi.Mass * mag;
                bj.Vy += dy * bi.Mass * mag;
            }
        }
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            b.X += dt * b.Vx;
            b.Y += dt * b.Vy;
        }
    }

    static double Energy(Planet[] bodies)
    {
        double e = 0;
        foreach (Planet b in bodies)
            e += 0.5 * b.Mass * (b.Vx * b.Vx + b.Vy * b.Vy) + b.X * 1e-3;
        return e;
    }

    public static double Simulate(int n, int steps)
    {
        Planet[] bodies = Make(n & 63);
        for (int s = 0; s < (steps & 255); s++)
            Advance(bodies, 0.01);
        return Energy(bodies);
    }

    /// <summary>Reads a body (a branch keeps it a call rather than inlined).</summary>
    static double Kinetic(Planet p)
    {
        double e = 0.5 * p.Mass * (p.Vx * p.Vx + p.Vy * p.Vy);
        if (e > 1e300)
            e = 0;
        return e;
    }

    /// <summary>Elements passed to a method that only reads them, from a variable and directly.</summary>
    public static double KineticEnergy(Planet[] bodies)
    {
        double e = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            e += Kinetic(b) + Kinetic(bodies[i]);
        }
        return e;
    }

    public static double KineticOf(int n)
    {
        Planet[] bodies = Make(n & 63);
        Advance(bodies, 0.5);
        return KineticEnergy(bodies);
    }

    /// <summary>A foreach over a parameter: the copy of the array it makes anchors the element variable.</summary>
    public static double TotalMomentum(Planet[] bodies)
    {
        double p = 0;
        foreach (Planet b in bodies)
            p += b.Mass * (b.Vx + b.Vy);
        return p;
    }

    /// <summary>The body replaces the element the variable holds: only the variable's reference keeps it.</summary>
    public static double OverwriteInBody(int n)
    {
        Planet[] bodies = Make(n & 63);
        double sum = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            bodies[i] = new Planet(-1, -1, 100);
            sum += b.Mass + b.X;
        }
        return sum + Energy(bodies);
    }

    static void Replace(Planet[] bodies, int i) => bodies[i] = new Planet(-2, -2, 200);

    /// <summary>As <see cref="OverwriteInBody"/>, through a call that stores an element.</summary>
    public static double OverwriteThroughCall(int n)
    {
        Planet[] bodies = Make(n & 63);
        double sum = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            Replace(bodies, i);
            sum += b.Mass + b.X;
        }
        return sum + Energy(bodies);
    }

    /// <summary>The array variable is reassigned while an element read from it is in use.</summary>
    public static double ArrayReassigned(int n)
    {
        Planet[] bodies = Make((n & 63) + 1);
        double sum = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            bodies = Make(bodies.Length);
            sum += b.Mass + b.X;
        }
        return sum;
    }

    /// <summary>An element read into a variable is kept in a field, then the array is dropped.</summary>
    public static double KeptInAField(int n)
    {
        Planet[] bodies = Make((n & 63) + 2);
        var keeper = new Planet(0, 0, 0);
        for (int i = 0; i < bodies.Length; i++)
        {
            Planet b = bodies[i];
            if (i == bodies.Length / 2)
                keeper.Partner = b;
        }
        bodies = Make(1);
        return keeper.Partner!.Mass * 1000 + keeper.Partner.X + bodies.Length;
    }
}

/// <summary>
/// The BorrowedElements strategy of prune-refcounts: a variable holding elements of an array that
/// nothing can change while it is in use borrows (the n-body step's inner loop has no reference
/// counting left in its optimised code); a loop that may replace the element, drop the array or
/// call what may keeps counting. Results are checked against .NET in debug mode (freed memory is
/// filled, so a premature free shows) and leaks by the fixture.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class BorrowedElementTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void The_nbody_step_has_no_reference_counting_left()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(ElementCode.Advance);
        Assert.True(f.PassCounts["prune-refcounts"]["BorrowedElements"] > 0);
        string optimized = f.Inspect(Stage.OptimizedLlvm);
        Assert.DoesNotContain("atomicrmw", optimized);
        Assert.DoesNotContain("@nrt_", optimized);

        var simulate = (CpuCompiledFunction)Cpu.Compile(ElementCode.Simulate);
        foreach (int n in new[] { 0, 1, 5, 40 })
            Assert.Equal(ElementCode.Simulate(n, 20), InDebugMode(() => (double)simulate.Invoke(n, 20)!), 12);
    }

    [Fact]
    public void Elements_passed_to_a_method_that_only_reads_them_are_not_counted()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(ElementCode.KineticEnergy);
        Assert.Contains("call Targets.Cpu.Tests.ElementCode.Kinetic", IrText.Of(f, "ElementCode.KineticEnergy"));
        Assert.DoesNotContain("atomicrmw", f.Inspect(Stage.OptimizedLlvm));
        var driver = (CpuCompiledFunction)Cpu.Compile(ElementCode.KineticOf);
        foreach (int n in new[] { 0, 1, 9, 40 })
            Assert.Equal(ElementCode.KineticOf(n), InDebugMode(() => (double)driver.Invoke(n)!), 12);
    }

    [Fact]
    public void A_foreach_over_a_parameter_borrows_its_elements()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(ElementCode.TotalMomentum);
        Assert.True(f.PassCounts["prune-refcounts"]["BorrowedElements"] > 0);
        Assert.DoesNotContain("atomicrmw", f.Inspect(Stage.OptimizedLlvm));
        Assert.DoesNotContain("incref", IrText.Of(f, "ElementCode.TotalMomentum"));
    }

    [Fact]
    public void Switched_off_the_loop_counts_again_with_the_same_result()
    {
        var options = new CompileOptions { RefcountPruning = RefcountPruning.All & ~RefcountPruning.BorrowedElements };
        var f = (CpuCompiledFunction)Cpu.Compile(ElementCode.Advance, options);
        Assert.Equal(0, f.PassCounts["prune-refcounts"]["BorrowedElements"]);
        Assert.Contains("atomicrmw", f.Inspect(Stage.OptimizedLlvm));
        var simulate = Cpu.Compile(ElementCode.Simulate, options);
        Assert.Equal(ElementCode.Simulate(7, 10), InDebugMode(() => (double)simulate.Invoke(7, 10)!), 12);
    }

    [Theory]
    [InlineData(nameof(ElementCode.OverwriteInBody))]
    [InlineData(nameof(ElementCode.OverwriteThroughCall))]
    [InlineData(nameof(ElementCode.ArrayReassigned))]
    [InlineData(nameof(ElementCode.KeptInAField))]
    public void Loops_that_may_replace_the_element_or_drop_the_array_keep_their_results(string name)
    {
        Func<int, double> dotnet = name switch
        {
            nameof(ElementCode.OverwriteInBody) => ElementCode.OverwriteInBody,
            nameof(ElementCode.OverwriteThroughCall) => ElementCode.OverwriteThroughCall,
            nameof(ElementCode.ArrayReassigned) => ElementCode.ArrayReassigned,
            _ => ElementCode.KeptInAField,
        };
        var f = (CpuCompiledFunction)Cpu.Compile(dotnet);
        foreach (int n in new[] { 0, 1, 2, 17, 63 })
            Assert.Equal(dotnet(n), InDebugMode(() => (double)f.Invoke(n)!), 12);
        string ir = IrText.Of(f, "ElementCode." + name);
        if (name != nameof(ElementCode.KeptInAField))
            Assert.Contains("incref", ir); // the element variable keeps its own reference
        else
            Assert.Contains("field Partner takes a reference", ir); // borrowed in the loop; the field takes its own
    }
}
