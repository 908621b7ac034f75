using Targets.Cpu;

namespace Targets.Cpu.Tests;

public static class Smoke
{
    public static int Add(int a, int b) => a + b;
    public static double Sum(double[] xs)
    {
        double s = 0;
        foreach (double x in xs)
            s += x;
        return s;
    }
    public static int Div(int a, int b) => a / b;
    public static int[] Squares(int n)
    {
        var r = new int[n];
        for (int i = 0; i < n; i++)
            r[i] = i * i;
        return r;
    }
    public static void Fail(int x)
    {
        if (x > 0)
            throw new ArgumentOutOfRangeException(nameof(x));
    }
    public static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
    public static double Mat(double[,] m)
    {
        double s = 0;
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                s += m[i, j] * Math.Sqrt(i + j);
        return s;
    }
    public static byte Narrow(double d) => (byte)d;
    public static int Switchy(int x) => x switch { 0 => 10, 1 => 20, 2 => 30, 5 => 7, _ => -1 };
}

public sealed class SmokeTests
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Basics_match_dotnet()
    {
        Assert.Equal(42, Cpu.Compile(Smoke.Add).AsDelegate<Func<int, int, int>>()(40, 2));
        Assert.Equal(6.0, Cpu.Compile(Smoke.Sum).Invoke(new[] { 1.0, 2.0, 3.0 }));
        Assert.Throws<DivideByZeroException>(() => Cpu.Compile(Smoke.Div).AsDelegate<Func<int, int, int>>()(1, 0));
        Assert.Throws<OverflowException>(() => Cpu.Compile(Smoke.Div).Invoke(int.MinValue, -1));
        Assert.Equal(new[] { 0, 1, 4, 9 }, (int[])Cpu.Compile(Smoke.Squares).Invoke(4)!);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.Compile(Smoke.Fail).Invoke(1));
        Assert.Equal(new ArgumentOutOfRangeException("x").Message, e.Message);
        Assert.Equal(Smoke.Fib(20), Cpu.Compile(Smoke.Fib).Invoke(20));
        var m = new double[3, 4];
        m[1, 2] = 5;
        m[2, 3] = 1.5;
        Assert.Equal(Smoke.Mat(m), Cpu.Compile(Smoke.Mat).Invoke(m));
        Assert.Equal(Smoke.Narrow(300.7), Cpu.Compile(Smoke.Narrow).Invoke(300.7));
        for (int i = -1; i < 7; i++)
            Assert.Equal(Smoke.Switchy(i), Cpu.Compile(Smoke.Switchy).Invoke(i));
    }
}
