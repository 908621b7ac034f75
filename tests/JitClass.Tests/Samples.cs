using System.Runtime.InteropServices;

namespace Targets.JitClasses.Tests;

#pragma warning disable CS0169, CS0649, CA1823, IDE0051, CS0414, CA1051, CA2211, CA1821 // public fields (and one empty finalizer) are what jit classes are made of

[JitClass]
public sealed class Mixed
{
    public bool Flag;
    public double Value;
    public short Small;
    public int[]? Counts;
    public char Letter;
    public float Ratio;
    public byte Tiny;
}

/// <summary>The C struct Mixed must match: references are pointers.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MixedStruct
{
    [MarshalAs(UnmanagedType.U1)] public bool Flag;
    public double Value;
    public short Small;
    public nint Counts;
    [MarshalAs(UnmanagedType.U2)] public char Letter;
    public float Ratio;
    public byte Tiny;
}

[JitClass]
public sealed class Vec
{
    public int X;
    public float Y;
}

[JitClass]
public sealed class Node
{
    public int Value;
    public Node? Next;
}

/// <summary>Arrays of instances as fields: of its own class, and two-dimensional of another.</summary>
[JitClass]
public sealed class Tree
{
    public Tree[]? Children;
    public Vec[,]? Grid;
}

[JitClass]
public sealed class Untyped
{
    public object? Payload;
    public long Count;
}

[JitClass]
public sealed class WithProperty
{
    public double Length { get; set; }
}

[JitClass]
public sealed class Empty;

public sealed class WithString
{
    public string Name = "";
}

public class Base;

public sealed class Derived : Base
{
    public int X;
}

public class Virtual
{
    public int X;
    public virtual T Pick<T>(T a) => a;
}

public sealed class Finalized
{
    public int X;
    ~Finalized() { }
}

public sealed class StaticCounter
{
    public int X;
    public static int Count;
}

public sealed class Constants
{
    public const int Limit = 3;
    public static readonly double Scale = 2;
    public int X;
}

/// <summary>A struct that holds an array and an instance, and one that nests it: fields a jit class may hold.</summary>
public struct Pocket
{
    public double Weight;
    public int[] Coins;
    public Node Owner;
}

public struct Wallet
{
    public long Id;
    public Pocket Left, Right;
}

/// <summary>A struct that holds an array of itself: no jit type (it would be its own element's layout).</summary>
public struct Recursive
{
    public Recursive[] Children;
}

[JitClass]
public sealed class Purse
{
    public Wallet Main;
    public Pocket[]? Spares;
    public int Count;
}
