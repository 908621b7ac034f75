namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A jit class with an array of instances as a field.</summary>
[JitClass]
public sealed class Bag
{
    public Vec2[]? Items;
    public int Count;

    public Bag(int capacity) => Items = new Vec2[capacity];

    public Bag(Vec2[] items)
    {
        Items = items;
        Count = items.Length;
    }

    public void Add(Vec2 v) => Items![Count++] = v;

    public void Put(int i, Vec2? v) => Items![i] = v!;

    public double SumX()
    {
        double s = 0;
        for (int i = 0; i < Count; i++)
            s += Items![i].X;
        return s;
    }

    /// <summary>The old array dies; its elements live on in the new one.</summary>
    public void Grow()
    {
        var bigger = new Vec2[Items!.Length * 2 + 1];
        for (int i = 0; i < Count; i++)
            bigger[i] = Items[i];
        Items = bigger;
    }
}

/// <summary>Instances whose elements hold arrays of instances: trees, and chains through arrays.</summary>
[JitClass]
public sealed class Branch
{
    public int Value;
    public Branch[]? Children;

    public Branch(int value, int fanOut)
    {
        Value = value;
        Children = fanOut == 0 ? null : new Branch[fanOut];
    }

    public long Sum()
    {
        long s = Value;
        if (Children is not null)
        {
            foreach (Branch? child in Children)
            {
                if (child is not null)
                    s += child.Sum();
            }
        }
        return s;
    }
}

/// <summary>Arrays of jit class instances in compiled code; .NET runs the very same methods with ordinary objects.</summary>
public static class InstanceArrayCode
{
    public static double FillAndSum(int n)
    {
        var a = new Vec2[n];
        for (int i = 0; i < a.Length; i++)
            a[i] = new Vec2(i, 2 * i);
        for (int i = 0; i < a.Length; i += 2)
            a[i].Scale(0.5);
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X + v.Length;
        return s;
    }

    /// <summary>Every store releases the element it replaces.</summary>
    public static double Replace(int n, int rounds)
    {
        var a = new Vec2[n];
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n; i++)
                a[i] = new Vec2(r, i);
        }
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X * 1000 + v.Y;
        return s;
    }

    /// <summary>One instance in two arrays and a local; the arrays die around it.</summary>
    public static double Shared(double x)
    {
        var v = new Vec2(x, 1);
        var a = new Vec2[2];
        var b = new Vec2[3];
        a[0] = v;
        a[1] = v;
        b[2] = a[0];
        a[0] = null!;
        b[2].Scale(2);
        a = new Vec2[1]; // the first array dies: v is still held by b and the local
        v.Y += 10;
        b = null!;
        return v.X + v.Y + (a[0] is null ? 100 : 0) + (b is null ? 1000 : 0);
    }

    static Vec2[] Row(int n, double y)
    {
        var row = new Vec2[n];
        for (int i = 0; i < n; i++)
            row[i] = new Vec2(i, y);
        return row;
    }

    static Vec2[] Same(Vec2[] a) => a;

    static double Total(Vec2[] a)
    {
        double s = 0;
        foreach (Vec2 v in a)
            s += v.X * v.Y;
        return s;
    }

    /// <summary>Arrays made, passed and returned between compiled functions.</summary>
    public static double Rows(int n)
    {
        Vec2[] first = Row(n + 1, 1);
        Vec2[] second = Same(Row(n + 2, 2));
        first[0] = second[n + 1]; // shared between the arrays
        second = Row(1, 3); // the old second dies; its last element lives on in first
        return Total(first) + Total(second) + Total(Same(first)) + Row(2, 5)[1].Y;
    }

    /// <summary>An array field: grown (the old array dies), written through methods, moved out to a local.</summary>
    public static double Bagged(int n)
    {
        var bag = new Bag(1);
        for (int i = 0; i < n; i++)
        {
            if (bag.Count == bag.Items!.Length)
                bag.Grow();
            bag.Add(new Vec2(i, 0));
        }
        bag.Put(0, new Vec2(100, 0));
        double sum = bag.SumX();
        Vec2[] items = bag.Items!;
        bag.Items = null; // the array lives on in the local
        for (int i = 0; i < bag.Count; i++)
            sum += items[i].X;
        return sum + bag.Count + items.Length;
    }

    /// <summary>Elements start null; using a null element's members raises NullReferenceException.</summary>
    public static double NullElements(int i)
    {
        var a = new Vec2[4];
        a[1] = new Vec2(3, 4);
        a[3] = a[1];
        int nulls = 0;
        foreach (Vec2? v in a)
        {
            if (v is null)
                nulls++;
        }
        return nulls * 100 + a[i].Length;
    }

    public static double NullField(int i)
    {
        var a = new Vec2[2];
        a[1] = new Vec2(1, 1);
        return a[i].X;
    }

    public static double NullCall(int i)
    {
        var a = new Vec2[2];
        a[1] = new Vec2(1, 1);
        a[i].Scale(2);
        return a[1].X;
    }

    /// <summary>A store out of range or into a null array raises before the element takes a reference.</summary>
    public static int StoreOutside(int i)
    {
        var v = new Vec2(1, 2);
        Vec2[]? a = i == 100 ? null : new Vec2[3];
        a![i] = v;
        return a.Length;
    }

    public static int Million(int n)
    {
        var a = new Vec2[n];
        for (int i = 0; i < n; i++)
            a[i] = new Vec2(i, i);
        return a.Length;
    }

    /// <summary>A chain of <paramref name="depth"/> branches, each holding the next in its one-element array.</summary>
    public static long DeepChain(int depth)
    {
        var root = new Branch(0, 1);
        Branch last = root;
        for (int i = 1; i < depth; i++)
        {
            var next = new Branch(i, 1);
            last.Children![0] = next;
            last = next;
        }
        return root.Value + last.Value;
    }

    static Branch Grow(int depth, int fanOut, int value)
    {
        var branch = new Branch(value, depth == 0 ? 0 : fanOut);
        for (int i = 0; depth > 0 && i < fanOut; i++)
            branch.Children![i] = Grow(depth - 1, fanOut, value * fanOut + i);
        return branch;
    }

    public static long Tree(int depth)
    {
        Branch tree = Grow(depth & 7, 3, 1);
        long before = tree.Sum();
        if (tree.Children is not null)
            tree.Children[0] = Grow(1, 2, 7); // the replaced subtree dies
        return before * 1000 + tree.Sum();
    }

    public static double Grid(int rows, int cols)
    {
        var g = new Vec2[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                g[i, j] = new Vec2(i, j);
        }
        double s = 0;
        foreach (Vec2 v in g)
            s += v.X * 10 + v.Y;
        g[0, 0] = null!;
        return s + (g[0, 0] is null ? 0.5 : 0) + g.GetLength(1);
    }

    public static Vec2[] MakeRow(int n) => Row(n, 1);

    public static Vec2[,] MakeGrid(int rows, int cols)
    {
        var g = new Vec2[rows, cols];
        g[rows - 1, cols - 1] = new Vec2(rows, cols);
        return g;
    }

    public static Bag MakeBag(int n)
    {
        var bag = new Bag(n);
        for (int i = 0; i < n; i++)
            bag.Add(new Vec2(i, -i));
        return bag;
    }

    public static double TotalOf(Vec2[] items) => Total(items);

    static int Count(params Vec2?[] items)
    {
        int count = 0;
        foreach (Vec2? item in items)
            count += item is null ? 1 : 10;
        return count;
    }

    static T Pick<T>(T[] items, int i) => items[i];

    static void Put<T>(T[] items, int i, T value) => items[i] = value;

    /// <summary>params arrays (Array.Empty when empty, an initialiser otherwise) and generic element access (ldelem/stelem T).</summary>
    public static double ParamsAndGenerics(int i)
    {
        var a = new Vec2[3];
        Put(a, i, new Vec2(i, 1));
        return Count() + Count(new Vec2(1, 1), null) * 100 + Pick(a, i).X;
    }

    public static int CompoundAssignment(int n)
    {
        var a = new Vec2[1];
        a[0] = new Vec2(n, n);
        a[0] += new Vec2(1, 1);
        return (int)a[0].X;
    }
}
