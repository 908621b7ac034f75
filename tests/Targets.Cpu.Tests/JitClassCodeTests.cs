using Targets.Cpu;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public sealed class Vec2
{
    public double X;
    public double Y;

    public Vec2(double x, double y)
    {
        X = x;
        Y = y;
    }

    public Vec2() : this(0, 0) { }

    public double Length => Math.Sqrt(X * X + Y * Y);

    public void Scale(double k)
    {
        X *= k;
        Y *= k;
    }

    public double Dot(Vec2 other) => X * other.X + Y * other.Y;

    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);
}

[JitClass]
public sealed class TreeNode
{
    public TreeNode? Left;
    public TreeNode? Right;

    public TreeNode(TreeNode? left, TreeNode? right)
    {
        Left = left;
        Right = right;
    }

    public int Check() => Left is null ? 1 : 1 + Left.Check() + Right!.Check();
}

[JitClass]
public sealed class Holder
{
    public double[]? Data;

    public Holder(double[]? data) => Data = data;
}

[JitClass]
public sealed class Histogram
{
    public int Count;
    public int[] Buckets;

    public Histogram(int buckets)
    {
        if (buckets < 0)
            throw new ArgumentOutOfRangeException(nameof(buckets));
        Buckets = new int[buckets];
    }

    public int Total
    {
        get => Count;
        set => Count = value;
    }

    public void Add(int value)
    {
        Buckets[value % Buckets.Length]++;
        Count++;
    }
}

[JitClass]
public sealed class Named
{
    public string Name = "";
    public int Id;
}

[JitClass]
public class Shape
{
    public int Sides;
    public virtual T Pick<T>(T a, T b) => Sides > 2 ? a : b;
}

/// <summary>C# that uses jit classes inside compiled code; .NET runs the very same methods with ordinary objects.</summary>
public static class JitClassCode
{
    public static double VectorMath(double a, double b)
    {
        var v = new Vec2(a, b);
        var w = v + new Vec2(1, 2);
        w.Scale(2);
        return w.Length + v.Dot(w) + new Vec2().Length;
    }

    public static long SumList(int n)
    {
        n &= 1023;
        ListNode? head = null;
        for (int i = 0; i < n; i++)
            head = new ListNode(i, head);
        long sum = 0;
        for (ListNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    public static double Aliasing(double x)
    {
        var a = new Vec2(x, 2);
        var b = a;
        b.X = 10;
        return a.X;
    }

    public static bool References(int x)
    {
        var a = new Vec2(x, 0);
        var b = a;
        var c = new Vec2(x, 0);
        return a == b && a != c && c is not null;
    }

    static TreeNode Build(int depth) => depth == 0 ? new TreeNode(null, null) : new TreeNode(Build(depth - 1), Build(depth - 1));

    public static int BinaryTrees(int depth) => Build(depth & 15).Check();

    public static int Counting(int buckets, int values)
    {
        var h = new Histogram(buckets);
        for (int i = 0; i < (values & 255); i++)
            h.Add(i);
        h.Total = h.Total + 1;
        return h.Total * 1000 + h.Buckets[0];
    }

    public static int NullInstance(bool make)
    {
        ListNode? node = make ? new ListNode(7, null) : null;
        return node!.Value;
    }

    public static int ReplaceNext(int n)
    {
        var first = new ListNode(1, new ListNode(2, null));
        var second = first.Next!;
        first.Next = new ListNode(n, null); // the old second node stays alive through 'second'
        return second.Value * 100 + first.Next.Value;
    }

    public static Vec2 Identity(Vec2 v) => v;

    public static Holder Wrap(double[] data) => new(data);

    public static double[]? Back(Holder holder) => holder.Data;

    public static double SumHeld(Holder holder)
    {
        double s = 0;
        foreach (double x in holder.Data!)
            s += x;
        return s;
    }

    public static int UsesNamed(int id) => new Named { Id = id }.Id;

    public static int UsesShape(int n) => new Shape { Sides = n }.Sides;

    /// <summary>An instance local assigned only later (locals start null; the slot's first release sees null).</summary>
    public static int LateAssigned(int n)
    {
        ListNode kept;
        int sum = 0;
        for (int i = 0; i < (n & 7); i++)
            sum += i;
        kept = new ListNode(sum, null);
        return kept.Value;
    }

    public static double Owned(int n)
    {
        var h = new Holder(new double[n]);
        h.Data![0] = 2.5;
        return h.Data[0] + h.Data.Length;
    }

    public static long Chain(int n)
    {
        ListNode? head = null;
        for (int i = 0; i < n; i++)
            head = new ListNode(i, head);
        return head is null ? -1 : head.Value;
    }
}

/// <summary>Jit class instances inside compiled code on cpu, against .NET, under the leak fixture.</summary>
public sealed class JitClassCodeTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Theory]
    [InlineData(3.0, 4.0)]
    [InlineData(-1.5, double.NaN)]
    [InlineData(0.0, -0.0)]
    public void Constructors_methods_properties_and_operators(double a, double b)
    {
        var f = Cpu.Compile(JitClassCode.VectorMath).AsDelegate<Func<double, double, double>>();
        Same(() => JitClassCode.VectorMath(a, b), () => f(a, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void A_linked_list_is_built_walked_and_freed(int n)
    {
        NrtStats before = Nrt.GetAllocationStats();
        Same(() => JitClassCode.SumList(n), () => (long)Cpu.Compile(JitClassCode.SumList).Invoke(n)!);
        Assert.Equal(n, Nrt.GetAllocationStats().Since(before).MiAlloc);
    }

    [Fact]
    public void Instances_are_references_and_compare_by_identity()
    {
        Same(() => JitClassCode.Aliasing(1), () => (double)Cpu.Compile(JitClassCode.Aliasing).Invoke(1.0)!);
        Same(() => JitClassCode.References(3), () => (bool)Cpu.Compile(JitClassCode.References).Invoke(3)!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(10)]
    public void Binary_trees_recurse_through_instance_methods(int depth) =>
        Same(() => JitClassCode.BinaryTrees(depth), () => (int)Cpu.Compile(JitClassCode.BinaryTrees).Invoke(depth)!);

    [Theory]
    [InlineData(4, 10)]
    [InlineData(-1, 3)]  // the constructor throws ArgumentOutOfRangeException
    [InlineData(0, 3)]   // Add divides by zero
    public void Array_fields_and_exceptions_in_constructors_and_methods(int buckets, int values) =>
        Same(() => JitClassCode.Counting(buckets, values), () => (int)Cpu.Compile(JitClassCode.Counting).Invoke(buckets, values)!);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_null_instance_raises_null_reference(bool make) =>
        Same(() => JitClassCode.NullInstance(make), () => (int)Cpu.Compile(JitClassCode.NullInstance).Invoke(make)!);

    [Fact]
    public void A_replaced_field_value_stays_alive_while_referenced()
    {
        InDebugMode(() => Same(() => JitClassCode.ReplaceNext(5), () => (int)Cpu.Compile(JitClassCode.ReplaceNext).Invoke(5)!));
    }

    [Fact]
    public void A_ten_million_node_list_built_in_compiled_code_is_dropped_without_stack_overflow()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(9_999_999L, Cpu.Compile(JitClassCode.Chain).Invoke(10_000_000));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(10_000_000, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Fact]
    public void Boxes_make_read_write_and_call_instances()
    {
        JitClassType vec = JitClass.Define<Vec2>();
        using JitObject v = Cpu.New(vec, 3.0, 4.0);
        Assert.True(vec.IsInstance(v));
        Assert.False(JitClass.Define<Vec2>().IsInstance(v)); // each Define is its own type
        Assert.Equal(1, v.RefCount);
        Assert.Equal(3.0, v.Get<double>("X"));
        v.Set("Y", 40.0);
        Assert.Equal(40.0, v.Get<double>("Y"));
        Assert.Equal(Math.Sqrt(9 + 1600), v.Invoke("get_Length"));
        v.Invoke("Scale", 2.0);
        dynamic d = v;
        Assert.Equal(6.0, (double)d.X);
        d.X = 7.0;
        Assert.Equal(7.0 * 7 + 80.0 * 80, (double)d.Dot(v));
        Assert.Equal("Vec2(X=7, Y=80)", v.ToString());
        Assert.Throws<ArgumentException>(() => v.Set("X", 1m)); // a decimal does not convert implicitly to double (an int does: ImplicitConversionTests)
        Assert.Throws<ArgumentException>(() => v.Get<double>("Z"));
        Assert.Throws<ArgumentException>(() => Cpu.New(vec, "three", 4.0));
    }

    [Fact]
    public void The_instance_is_the_c_struct_and_accessors_read_it()
    {
        JitClassType type = JitClass.Define<Vec2>();
        using JitObject v = Cpu.New(type, 1.5, -2.5);
        Vec2Struct raw = System.Runtime.InteropServices.Marshal.PtrToStructure<Vec2Struct>(v.DataPointer);
        Assert.Equal((1.5, -2.5), (raw.X, raw.Y));
        JitAccessor<double> y = type.Accessor<double>("Y");
        y.Set(v, 9);
        Assert.Equal(9, y.Get(v));
        Assert.Equal(9, v.Get<double>("Y"));
        Assert.Throws<ArgumentException>(() => type.Accessor<float>("Y"));
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    struct Vec2Struct
    {
        public double X;
        public double Y;
    }

    [Fact]
    public void Disposing_a_box_drops_its_reference_once()
    {
        NrtStats before = Nrt.GetAllocationStats();
        JitObject node = Cpu.New(JitClass.Define<ListNode>(), 5, null);
        using (JitObject second = Cpu.New(JitClass.Define<ListNode>(), 6, node))
        {
            Assert.Equal(2, node.RefCount); // the box and second.Next
            using JitObject next = second.Get<JitObject>("Next");
            Assert.Equal(3, node.RefCount);
            Assert.Equal(5, next.Get<int>("Value"));
        }
        Assert.Equal(1, node.RefCount);
        node.Dispose();
        node.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => node.Get<int>("Value"));
        Assert.Equal("ListNode(disposed)", node.ToString());
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
    }

    [Fact]
    public void Boxes_pass_into_compiled_functions_and_come_back_as_new_boxes_of_the_same_instance()
    {
        using JitObject a = Cpu.New(JitClass.Define<Vec2>(), 1.0, 2.0);
        using JitObject b = Cpu.New(JitClass.Define<Vec2>(), 10.0, 20.0);
        var add = Cpu.Compile(typeof(Vec2).GetMethod("op_Addition")!).AsDelegate<Func<JitObject, JitObject, JitObject>>();
        using JitObject sum = add(a, b);
        Assert.Equal(22.0, sum.Get<double>("Y"));
        Assert.Equal(1, sum.RefCount);
        var same = Cpu.Compile(JitClassCode.Identity).AsDelegate<Func<JitObject, JitObject>>();
        using JitObject again = same(a);
        Assert.Equal(a.MemInfo, again.MemInfo);
        Assert.Equal(2, a.RefCount);
        using JitObject wrongClass = Cpu.New(JitClass.Define<ListNode>(), 1, null);
        Assert.Throws<ArgumentException>(() => Cpu.Compile(JitClassCode.Identity).Invoke(wrongClass));
        Assert.Throws<ArgumentException>(() => Cpu.Compile(JitClassCode.Identity).AsDelegate<Func<Vec2, Vec2>>());
    }

    [Fact]
    public void A_dotnet_array_kept_in_a_field_stays_pinned_and_comes_back_as_itself()
    {
        NrtStats before = Nrt.GetAllocationStats();
        double[] data = [1.0, 2.0, 3.0];
        var wrap = Cpu.Compile(JitClassCode.Wrap).AsDelegate<Func<double[], JitObject>>();
        using (JitObject holder = wrap(data))
        {
            GC.Collect(); // the array must stay where compiled code expects it
            Assert.Same(data, holder.Get("Data"));
            var back = Cpu.Compile(JitClassCode.Back).AsDelegate<Func<JitObject, double[]>>();
            Assert.Same(data, back(holder));
            var sum = Cpu.Compile(JitClassCode.SumHeld).AsDelegate<Func<JitObject, double>>();
            data[1] = 20;
            Assert.Equal(24.0, sum(holder)); // the same memory, both ways
            using NrtArray<double> view = Cpu.Compile(JitClassCode.Back).AsDelegate<Func<JitObject, NrtArray<double>>>()(holder)!;
            Assert.Equal(20, view.AsSpan()[1]);
        }
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced); // the adoption MemInfo died with the holder
        using JitObject empty = wrap(null!);
        Assert.Null(empty.Get("Data"));
        double[] fromDotnet = [5.0, 6.0];
        empty.Set("Data", fromDotnet); // set from .NET: kept as itself too
        Assert.Same(fromDotnet, empty.Get("Data"));
        Assert.Equal(11.0, Cpu.Compile(JitClassCode.SumHeld).AsDelegate<Func<JitObject, double>>()(empty));
        empty.Set("Data", null);
        Assert.Throws<ArgumentException>(() => empty.Set("Data", new float[1]));
        Assert.Equal(JitClassCode.Owned(4), Cpu.Compile(JitClassCode.Owned).Invoke(4));
    }

    [Fact]
    public void Jit_classes_the_compiler_cannot_lay_out_are_compilation_errors()
    {
        var named = Assert.Throws<CompilationException>(() => Cpu.Compile(JitClassCode.UsesNamed));
        Assert.Equal(CompilationErrorKind.UnsupportedType, named.Kind);
        Assert.Contains("Name", named.Message);
        var shape = Assert.Throws<CompilationException>(() => Cpu.Compile(JitClassCode.UsesShape));
        Assert.Contains("generic virtual member Pick", shape.Message);
    }

    [Fact]
    public void Instance_locals_start_null()
    {
        InDebugMode(() => Same(() => JitClassCode.LateAssigned(5), () => (int)Cpu.Compile(JitClassCode.LateAssigned).Invoke(5)!));
        Assert.DoesNotContain("const.ListNode", Cpu.Compile(JitClassCode.LateAssigned).Inspect(Stage.Ir));
    }

    [Fact]
    public void A_thousand_boxes_made_and_disposed_from_dotnet_leave_nothing()
    {
        JitClassType node = JitClass.Define<ListNode>();
        NrtStats before = Nrt.GetAllocationStats();
        for (int i = 0; i < 1000; i++)
        {
            using JitObject box = Cpu.New(node, i, null);
            Assert.Equal(i, box.Get<int>("Value"));
        }
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(1000, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Fact]
    public void Exceptions_in_constructors_reach_dotnet_and_leak_nothing()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.New(JitClass.Define<Histogram>(), -1));
        Assert.Equal(new ArgumentOutOfRangeException("buckets").Message, error.Message);
    }
}
