using System;
using Targets;

namespace Corpus;

// Jit-class hierarchies: a derived class's layout starts with its base's, base constructors and
// base. calls, protected members; abstract, virtual, override and sealed override members called
// through the base (dispatched on the instance's class), interfaces implemented by jit classes
// (one or several per class, a generic one), type tests (is, as, type patterns, switch on types)
// and casts that throw InvalidCastException as .NET's; instances of several classes in one array,
// in fields and locals of the base type. Every instance dies through a reference of some base type.
[JitClass]
public abstract class Shape
{
    public int Id;
    protected int Scale;

    protected Shape(int id, int scale)
    {
        Id = id;
        Scale = scale;
    }

    public abstract long Area();

    public virtual long Perimeter() => 4 * Scale;

    /// <summary>A non-virtual member calling virtual ones: each instance's own.</summary>
    public long Describe() => Area() * 1000 + Perimeter() * 10 + Id;
}

[JitClass]
public class Rectangle : Shape
{
    public int Width, Height;

    public Rectangle(int id, int width, int height) : base(id, 1)
    {
        Width = width;
        Height = height;
    }

    public override long Area() => (long)Width * Height * Scale;

    public override long Perimeter() => 2L * (Width + Height) * Scale;
}

[JitClass]
public sealed class Square : Rectangle
{
    public Square(int id, int side) : base(id, side, side) => Scale = 2;

    public override long Perimeter() => base.Perimeter() + 1;
}

[JitClass]
public sealed class Circle : Shape
{
    public double Radius;

    public Circle(int id, double radius) : base(id, 3) => Radius = radius;

    public override long Area() => (long)(Math.PI * Radius * Radius);
}

public interface IMeasure
{
    double Measure(double x);
}

public interface IWeighted
{
    int Weight { get; }
}

[JitClass]
public sealed class Linear : IMeasure, IWeighted
{
    public double Slope;

    public Linear(double slope) => Slope = slope;

    public double Measure(double x) => Slope * x;

    public int Weight => 2;
}

[JitClass]
public sealed class Quadratic : IMeasure, IWeighted
{
    public double Measure(double x) => x * x;

    public int Weight => 5;
}

/// <summary>An interface with a default method, which one class keeps and the other replaces.</summary>
public interface IGreeting
{
    int Base { get; }

    int Greet(int x) => Base * 10 + x;
}

[JitClass]
public sealed class PlainGreeting(int b) : IGreeting
{
    public int B = b;

    public int Base => B;
}

[JitClass]
public sealed class LoudGreeting : IGreeting
{
    public int Base => 7;

    public int Greet(int x) => -x * Base;
}

[JitClass]
public sealed class Price : IComparable<Price>
{
    public long Cents;

    public Price(long cents) => Cents = cents;

    public int CompareTo(Price? other) => Cents.CompareTo(other!.Cents);
}

/// <summary>A holder of a base-typed field: what it holds is any class of the hierarchy.</summary>
[JitClass]
public sealed class Slot
{
    public Shape? Held;
    public Slot? Next;
}

public static class Inheritance
{
    static Shape Make(int k, int n) => (k & 3) switch
    {
        0 => new Rectangle(k, n % 7 + 1, k % 5 + 1),
        1 => new Square(k, n % 4 + 1),
        2 => new Circle(k, (n & 15) * 0.5),
        _ => new Rectangle(k, 2, 3),
    };

    public static long VirtualCallsOverAnArray(int n)
    {
        var shapes = new Shape[n & 63];
        for (int i = 0; i < shapes.Length; i++)
            shapes[i] = Make(i, n);
        long sum = 0;
        foreach (Shape s in shapes)
            sum += s.Describe() + s.Area();
        return sum;
    }

    public static long BaseFieldsAndConstructors(int n)
    {
        Rectangle r = new Square(n, 3);
        Shape s = r;
        r.Width += n & 7;
        return s.Id + r.Width * 100L + s.Area() * 10_000L + s.Perimeter();
    }

    public static int TypeTests(int n)
    {
        int count = 0;
        for (int i = 0; i < (n & 31); i++)
        {
            Shape s = Make(i + n, i);
            if (s is Rectangle)
                count += 1;
            if (s is Square sq)
                count += 10 * sq.Width;
            Circle? c = s as Circle;
            if (c != null)
                count += 1000;
            if (s is not Circle and not Square)
                count += 100_000;
        }
        return count;
    }

    public static long SwitchOnTypes(int n)
    {
        long total = 0;
        for (int i = 0; i < (n & 15) + 1; i++)
        {
            total += Make(n + i, i) switch
            {
                Square s => s.Width * 3,
                Rectangle r when r.Height > 2 => r.Height,
                Rectangle r => -r.Width,
                Circle c => (long)(c.Radius * 4),
                _ => 1_000_000,
            };
        }
        return total;
    }

    /// <summary>A cast to a class the instance is not: InvalidCastException with .NET's message.</summary>
    public static long CastsThatMayFail(int n)
    {
        Shape s = Make(n, n);
        Rectangle r = (Rectangle)s;
        Square q = (Square)r;
        return q.Width + r.Height;
    }

    public static double InterfaceCalls(double[] xs, int n)
    {
        IMeasure[] measures = [new Linear(n), new Quadratic(), new Linear(-0.5)];
        double sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            IMeasure m = measures[(i + n) % 3 < 0 ? 0 : (i + n) % 3];
            sum += m.Measure(xs[i]);
            if (m is Linear line)
                sum += line.Slope;
        }
        return sum;
    }

    /// <summary>Type tests for interfaces: `is`, `as` and casts, on instances of classes that implement them and ones that do not.</summary>
    public static int InterfaceTypeTests(int n)
    {
        int count = 0;
        for (int i = 0; i < (n & 15) + 1; i++)
        {
            IMeasure m = ((i + n) & 1) == 0 ? new Linear(i) : new Quadratic();
            if (m is IWeighted w)
                count += w.Weight;
            IWeighted? weighted = m as IWeighted;
            count += weighted is null ? 1000 : 1;
            Shape s = Make(i, n);
            if (s is IMeasure)
                count += 100_000;
        }
        IMeasure? none = n > 1000 ? new Quadratic() : null;
        return count + (none is IWeighted ? 7 : 3);
    }

    public static int DefaultInterfaceMethods(int n)
    {
        IGreeting[] all = [new PlainGreeting(n), new LoudGreeting(), new PlainGreeting(-n)];
        int sum = 0;
        foreach (IGreeting g in all)
            sum = unchecked(sum * 31 + g.Greet(n & 255));
        return sum;
    }

    public static int AClassWithTwoInterfaces(int n)
    {
        IWeighted w = (n & 1) == 0 ? new Linear(n) : new Quadratic();
        IMeasure m = (n & 2) == 0 ? new Quadratic() : new Linear(2);
        return w.Weight * 100 + (int)m.Measure(3);
    }

    static T Largest<T>(T[] values) where T : IComparable<T>
    {
        T best = values[0];
        foreach (T v in values)
        {
            if (v.CompareTo(best) > 0)
                best = v;
        }
        return best;
    }

    /// <summary>A generic method over a jit class that implements a generic interface.</summary>
    public static long GenericInterfaceOnAJitClass(int[] cents)
    {
        if (cents.Length == 0)
            return -1;
        var prices = new Price[cents.Length];
        for (int i = 0; i < cents.Length; i++)
            prices[i] = new Price(cents[i]);
        return Largest(prices).Cents;
    }

    /// <summary>A list of slots holding shapes of every class, rebuilt and dropped through base references.</summary>
    public static long BaseTypedFields(int n)
    {
        Slot? head = null;
        for (int i = 0; i < (n & 31); i++)
            head = new Slot { Held = Make(i * 7 + n, i), Next = head };
        long sum = 0;
        for (Slot? p = head; p != null; p = p.Next)
        {
            sum += p.Held!.Perimeter();
            if (p.Next != null && p.Held is Rectangle)
                p.Next.Held = p.Held; // shared by two slots now
        }
        return sum;
    }

    public static long NullReceiver(int n)
    {
        Shape? s = n > 0 ? Make(n, n) : null;
        return s!.Area();
    }
}
