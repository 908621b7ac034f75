using System;
using Targets;

namespace Corpus;

// Reference cycles: instances that reach themselves through their fields — a ring, a doubly linked
// list, a tree with parent pointers, a self-loop, a cycle through an interface-typed field and one
// through a base-typed field — made, used, changed and dropped, on normal exits and when an exception
// leaves. Reference counting alone leaks every one of them; the cycle collector frees them (the leak
// check collects cycles before it counts, as .NET's GC would have).
[JitClass]
public sealed class RingPeer
{
    public RingPeer? Next;
    public int Value;

    public RingPeer(int value) => Value = value;
}

[JitClass]
public sealed class Link
{
    public Link? Prev, Next;
    public long Value;

    public Link(long value) => Value = value;
}

[JitClass]
public sealed class Branch
{
    public Branch? Parent, Left, Right;
    public int Depth;

    public Branch(Branch? parent) => Depth = parent == null ? 0 : parent.Depth + 1;
}

public interface IVertex
{
    int Weight();
}

[JitClass]
public sealed class Vertex : IVertex
{
    public IVertex? Out;
    public int W;

    public Vertex(int w) => W = w;

    public int Weight() => W;
}

public static class Cycles
{
    public static long Ring(int n)
    {
        int count = (n & 63) + 1;
        RingPeer first = new(0), last = first;
        for (int i = 1; i < count; i++)
        {
            var next = new RingPeer(i * 3 + n % 7);
            last.Next = next;
            last = next;
        }
        last.Next = first;
        long sum = 0;
        RingPeer at = first;
        for (int step = 0; step < 3 * count + 1; step++)
        {
            sum = sum * 31 + at.Value;
            at = at.Next!;
        }
        return sum;
    }

    public static long DoublyLinked(int n)
    {
        Link? head = null, tail = null;
        for (int i = 0; i < (n & 31) + 2; i++)
        {
            var node = new Link(i * (long)n);
            node.Prev = tail;
            if (tail == null)
                head = node;
            else
                tail.Next = node;
            tail = node;
        }
        // Unlink the second node: its neighbours point past it, it still points at them.
        Link second = head!.Next!;
        head.Next = second.Next;
        if (second.Next != null)
            second.Next.Prev = head;
        long forward = 0, backward = 0;
        for (Link? l = head; l != null; l = l.Next)
            forward = forward * 7 + l.Value;
        for (Link? l = tail; l != null; l = l.Prev)
            backward = backward * 11 + l.Value;
        return forward ^ backward ^ second.Prev!.Value;
    }

    static Branch Grow(Branch? parent, int depth)
    {
        var b = new Branch(parent);
        if (depth > 0)
        {
            b.Left = Grow(b, depth - 1);
            b.Right = Grow(b, depth - 1);
        }
        return b;
    }

    public static int ParentPointers(int n)
    {
        Branch root = Grow(null, n & 7);
        Branch leaf = root;
        while (leaf.Right != null)
            leaf = (n & 1) == 0 ? leaf.Right : leaf.Left!;
        int up = 0;
        for (Branch? b = leaf; b != null; b = b.Parent)
            up += b.Depth + 1;
        return up * 100 + leaf.Depth;
    }

    public static int SelfLoop(int n)
    {
        var p = new RingPeer(n);
        p.Next = p;
        return p.Next.Next.Value + (p.Next == p ? 1 : 0);
    }

    public static int ThroughAnInterface(int n)
    {
        var a = new Vertex(n & 255);
        var b = new Vertex(3);
        a.Out = b;
        b.Out = a;
        IVertex at = a;
        int sum = 0;
        for (int i = 0; i < 5; i++)
        {
            sum += at.Weight();
            at = ((Vertex)at).Out!;
        }
        return sum;
    }

    public static long ThroughTheBase(int n)
    {
        var first = new Slot();
        Slot last = first;
        for (int i = 0; i < (n & 7) + 1; i++)
        {
            last.Held = new Square(i, i + 1);
            last.Next = new Slot();
            last = last.Next;
        }
        last.Next = first;
        long sum = 0;
        Slot at = first;
        for (int i = 0; i < 12; i++)
        {
            sum += at.Held == null ? -1 : at.Held.Area();
            at = at.Next!;
        }
        return sum;
    }

    public static int CycleWhenAnExceptionLeaves(int n)
    {
        var a = new RingPeer(n);
        var b = new RingPeer(n + 1);
        a.Next = b;
        b.Next = a;
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), "negative");
        return a.Next.Next.Value;
    }

    public static int CycleBrokenByHand(int n)
    {
        var a = new RingPeer(n);
        var b = new RingPeer(2 * n);
        a.Next = b;
        b.Next = a;
        int v = a.Next.Value + b.Next.Value;
        b.Next = null; // no cycle is left: reference counting frees both
        return v;
    }
}
