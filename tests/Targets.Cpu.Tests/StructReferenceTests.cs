using Targets.Runtime;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // the structs and jit classes under test are made of public fields

public struct Tally
{
    public int[] Counts;
    public Marker? Last;
    public int Total;

    public void Add(int slot)
    {
        Counts[slot % Counts.Length]++;
        Last = new Marker(slot);
        Total++;
    }
}

[JitClass]
public sealed class Marker
{
    public int Slot;

    public Marker(int slot) => Slot = slot;
}

[JitClass]
public sealed class Ledger
{
    public Tally Current;
    public Tally[] History;
    public long Entries;

    public Ledger(int size)
    {
        Current = new Tally { Counts = new int[size] };
        History = new Tally[2];
        Entries = 0;
    }

    public void Record(int slot)
    {
        Current.Add(slot);
        History[Entries++ % 2] = Current; // a copy: shares the counts, takes its own references
    }

    public int Sum()
    {
        int sum = 0;
        foreach (int c in Current.Counts)
            sum += c;
        return sum + (Current.Last?.Slot ?? -1);
    }
}

/// <summary>
/// A struct whose reference lies beyond the words the array destructor reaches
/// (<see cref="Runtime.StructElements.Words"/>): only an explicit layout puts it
/// there, the runtime's own layout puts references first.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
public struct Wide
{
    [System.Runtime.InteropServices.FieldOffset(0)] public long First;
    [System.Runtime.InteropServices.FieldOffset(200)] public int[] Late;
}

public struct Tree
{
    public Tree[] Children;
    public int Value;
}

public static class StructReferenceCode
{
    public static int Tallied(int n)
    {
        var tally = new Tally { Counts = new int[3] };
        for (int i = 0; i < n; i++)
            tally.Add(i);
        return tally.Counts[0] * 100 + tally.Total + (tally.Last?.Slot ?? -1);
    }

    public static int TakesTally(Tally tally) => tally.Total;

    public static Tally MakesTally(int n) => new() { Counts = new int[n] };

    public static int LedgerRun(int n)
    {
        var ledger = new Ledger(4);
        for (int i = 0; i < n; i++)
            ledger.Record(i);
        return ledger.Sum() + ledger.History[0].Total * 1000;
    }

    public static Ledger KeptLedger(int[] counts)
    {
        var ledger = new Ledger(1);
        ledger.Current.Counts = counts; // the caller's array, kept by an instance that outlives the call
        ledger.Record(0);
        return ledger;
    }

    public static int Wides(int n)
    {
        var wides = new Wide[n];
        return wides.Length;
    }

    public static int OneWide(int n)
    {
        var wide = new Wide { Late = new int[n] };
        return wide.Late.Length;
    }

    /// <summary>A recursive callee (never inlined) that only reads its struct parameter: it borrows the caller's references.</summary>
    static long SumRange(Tally tally, int lo, int hi) =>
        hi - lo <= 2 ? tally.Counts[lo] + (hi - lo == 2 ? tally.Counts[lo + 1] : 0) : SumRange(tally, lo, (lo + hi) / 2) + SumRange(tally, (lo + hi) / 2, hi);

    public static long Ranges(int n)
    {
        var tally = new Tally { Counts = new int[n + 1] };
        for (int i = 0; i <= n; i++)
            tally.Counts[i] = i * 3;
        return SumRange(tally, 0, n + 1);
    }

    public static int Trees(int n)
    {
        var tree = new Tree { Value = n };
        return tree.Value;
    }
}

/// <summary>
/// Structs that hold arrays and jit-class instances where the corpus cannot reach: at the host
/// boundary (refused, naming the field), in jit-class fields (the instance's destructor releases
/// the references inside them; a box refuses to read them), in arrays kept by instances, and the
/// layouts the runtime's struct-elements destructor cannot describe. Balanced NRT counts after
/// every test, and no refcount error in debug mode.
/// </summary>
public sealed class StructReferenceTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Structs_holding_arrays_and_instances_count_them_in_locals_and_jit_class_fields()
    {
        using CompiledFunction tallied = Cpu.Compile(StructReferenceCode.Tallied);
        using CompiledFunction ledger = Cpu.Compile(StructReferenceCode.LedgerRun);
        InDebugMode(() =>
        {
            foreach (int n in new[] { 0, 1, 7, 100 })
            {
                Assert.Equal(StructReferenceCode.Tallied(n), tallied.Invoke(n));
                Assert.Equal(StructReferenceCode.LedgerRun(n), ledger.Invoke(n));
            }
        });
    }

    [Fact]
    public void A_lent_array_put_into_a_struct_is_kept_while_the_instance_that_holds_it_lives()
    {
        int[] counts = [5];
        using CompiledFunction kept = Cpu.Compile(StructReferenceCode.KeptLedger);
        using (var box = (JitObject)kept.Invoke(counts)!)
        {
            Assert.Equal(6, counts[0]); // Record's increment landed in .NET's array
            Assert.Equal(6 + 0, box.Invoke("Sum"));
            GC.Collect(); // the array is pinned by its adoption, not by the call
            Assert.Equal(6, box.Invoke("Sum"));
        }
        Assert.Equal(6, counts[0]);
    }

    [Fact]
    public void Structs_that_hold_references_do_not_cross_the_host_boundary_and_the_error_names_the_field()
    {
        using CompiledFunction takes = Cpu.Compile(StructReferenceCode.TakesTally);
        var e = Assert.Throws<ArgumentException>(() => takes.Invoke(new Tally()));
        Assert.Contains("parameter 'tally'", e.Message);
        Assert.Contains("field Counts holds a i32[]", e.Message);
        Assert.Throws<ArgumentException>(() => takes.AsDelegate<Func<Tally, int>>());

        using CompiledFunction makes = Cpu.Compile(StructReferenceCode.MakesTally);
        Assert.Contains("returns a Tally", Assert.Throws<ArgumentException>(() => makes.Invoke(3)).Message);
    }

    [Fact]
    public void A_box_refuses_to_read_or_write_a_struct_field_that_holds_references()
    {
        using CompiledFunction kept = Cpu.Compile(StructReferenceCode.KeptLedger);
        using var box = (JitObject)kept.Invoke(new[] { 1 })!;
        Assert.Contains("holds arrays or jit class instances", Assert.Throws<ArgumentException>(() => box.Get("Current")).Message);
        Assert.Throws<ArgumentException>(() => box.Set("Current", new Tally()));
        Assert.Throws<ArgumentException>(() => box.Get("History"));
        Assert.Equal(1L, box.Get("Entries"));
        Assert.Contains("Current=<Tally>", box.ToString());
    }

    [Fact]
    public void Struct_layouts_the_array_destructor_cannot_describe_and_recursive_structs_are_refused()
    {
        var wides = Assert.Throws<CompilationException>(() => Cpu.Compile(StructReferenceCode.Wides));
        Assert.Contains("beyond its first 192 bytes", wides.Message);
        Assert.Contains("new Wide[", wides.Message);
        Assert.Contains("StructReferenceTests.cs:", wides.Message);
        using CompiledFunction one = Cpu.Compile(StructReferenceCode.OneWide); // one such struct is fine: the lowering releases any offset
        Assert.Equal(4, one.Invoke(4));

        var trees = Assert.Throws<CompilationException>(() => Cpu.Compile(StructReferenceCode.Trees));
        Assert.Contains("array of itself", trees.Message);
    }

    [Fact]
    public void A_struct_parameter_only_read_borrows_the_callers_references()
    {
        using CompiledFunction ranges = Cpu.Compile(StructReferenceCode.Ranges);
        string ir = ranges.Inspect(Stage.Ir);
        string callee = ir[ir.IndexOf("function Targets.Cpu.Tests.StructReferenceCode.SumRange", StringComparison.Ordinal)..];
        callee = callee[..(callee.IndexOf("\nfunction ", 1, StringComparison.Ordinal) is var end and > 0 ? end : callee.Length)];
        Assert.DoesNotContain("incref", callee);
        Assert.DoesNotContain("decref", callee);
        InDebugMode(() =>
        {
            foreach (int n in new[] { 0, 1, 5, 1000 })
                Assert.Equal(StructReferenceCode.Ranges(n), ranges.Invoke(n));
        });
    }

    [Fact]
    public void The_release_word_of_an_array_of_structs_marks_instances_and_arrays_by_word()
    {
        Frontend.Ir.AggregateLayout tally = Cpu.Layouts.Map(typeof(Tally))!.Aggregate!;
        int counts = tally.Fields[tally.IndexOf("Counts")].Offset / 8, last = tally.Fields[tally.IndexOf("Last")].Offset / 8;
        ulong expected = ((ulong)(tally.Size / 8) << 48) | (1UL << (StructElements.Words + counts)) | (1UL << last);
        Assert.Equal(expected, StructElements.InfoOf(tally));
        Assert.Equal(new[] { new JitReference(counts * 8, true), new JitReference(last * 8, false) }.OrderBy(r => r.Offset), JitType.Struct(typeof(Tally))!.References.OrderBy(r => r.Offset));
    }
}
