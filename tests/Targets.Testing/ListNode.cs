#pragma warning disable CA1051 // jit classes are made of public fields

namespace Targets.Testing;

/// <summary>A singly linked list node: the jit class the cpu and parallel suites build lists of (in loops, Prange bodies, across threads).</summary>
[JitClass]
public sealed class ListNode
{
    public int Value;
    public ListNode? Next;

    public ListNode(int value, ListNode? next)
    {
        Value = value;
        Next = next;
    }
}
