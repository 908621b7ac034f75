using Targets.Llvm.Interop;

namespace Targets.Llvm;

/// <summary>
/// Decides whether an optimised module's entry is <em>brief</em>: from the entry, no path reaches a loop,
/// recursion, an atomic operation, or a call to anything but an LLVM intrinsic or another function of the
/// module that is brief itself. Such code runs a bounded number of instructions and never calls out of the
/// module — not into the NRT runtime, not back into .NET, not through a pointer — so .NET may call it without
/// the GC transition (<c>SuppressGCTransition</c>): it cannot block, cannot wait for the GC, and returns to its
/// caller in time proportional to its size. Without atomics it changes no reference count, so it needs none of
/// the per-thread bookkeeping the cycle collector waits on either. Every "no" is safe (the call just keeps the
/// transition), so the walk is conservative: an indirect call, an <c>invoke</c> or <c>callbr</c>, an indirect branch, a fence or atomic, a
/// cycle in any function's control flow or in the call graph, a declaration that is not an intrinsic, or
/// an intrinsic that copies or fills memory (its time grows with a length, not with the code) makes the answer false.
/// </summary>
public static class BriefCode
{
    /// <summary>Whether the function named <paramref name="entry"/> in <paramref name="module"/> is brief (false when it is not defined there).</summary>
    public static bool Is(LlvmModule module, string entry)
    {
        ArgumentNullException.ThrowIfNull(module);
        LLVMValueRef function = LlvmApi.LLVMGetNamedFunction(module.Handle, entry);
        return !function.IsNull && Brief(function, [], []);
    }

    /// <summary>
    /// Depth-first over the call graph: <paramref name="open"/> holds the functions on the current path
    /// (meeting one again is recursion), <paramref name="done"/> those already shown brief.
    /// </summary>
    static bool Brief(LLVMValueRef function, HashSet<nint> open, HashSet<nint> done)
    {
        if (done.Contains(function.Handle))
            return true;
        if (LlvmApi.LLVMIsDeclaration(function) != 0)
            return LlvmApi.LLVMGetIntrinsicID(function) != 0 && !CopiesMemory(function);
        if (!open.Add(function.Handle) || HasCycle(function))
            return false;
        for (LLVMBasicBlockRef block = LlvmApi.LLVMGetFirstBasicBlock(function); !block.IsNull; block = LlvmApi.LLVMGetNextBasicBlock(block))
        {
            for (LLVMValueRef instruction = LlvmApi.LLVMGetFirstInstruction(block); !instruction.IsNull; instruction = LlvmApi.LLVMGetNextInstruction(instruction))
            {
                switch (LlvmApi.LLVMGetInstructionOpcode(instruction))
                {
                    case LLVMOpcode.IndirectBr or LLVMOpcode.Invoke or LLVMOpcode.CallBr:
                    case LLVMOpcode.Fence or LLVMOpcode.AtomicCmpXchg or LLVMOpcode.AtomicRMW:
                        return false;
                    case LLVMOpcode.Call:
                        LLVMValueRef callee = LlvmApi.LLVMIsAFunction(LlvmApi.LLVMGetCalledValue(instruction));
                        if (callee.IsNull || !Brief(callee, open, done))
                            return false;
                        break;
                }
            }
        }
        open.Remove(function.Handle);
        done.Add(function.Handle);
        return true;
    }

    /// <summary>
    /// <c>llvm.memcpy</c>, <c>llvm.memset</c>, <c>llvm.memmove</c> and their kin: no loop in the IR, but
    /// time proportional to a length the code may compute (a whole array cleared).
    /// </summary>
    static unsafe bool CopiesMemory(LLVMValueRef intrinsic)
    {
        nint name = LlvmApi.LLVMGetValueName2(intrinsic, out nuint length);
        return new ReadOnlySpan<byte>((void*)name, (int)length).StartsWith("llvm.mem"u8)
            || new ReadOnlySpan<byte>((void*)name, (int)length).StartsWith("llvm.experimental.mem"u8);
    }

    /// <summary>Whether the function's control flow has a cycle (a loop, whatever its shape), found by a depth-first walk from the entry block.</summary>
    static bool HasCycle(LLVMValueRef function)
    {
        var onPath = new HashSet<nint>();
        var finished = new HashSet<nint>();
        var stack = new Stack<(LLVMBasicBlockRef Block, uint Next)>();
        LLVMBasicBlockRef first = LlvmApi.LLVMGetFirstBasicBlock(function);
        stack.Push((first, 0));
        onPath.Add(first.Handle);
        while (stack.Count > 0)
        {
            (LLVMBasicBlockRef block, uint next) = stack.Pop();
            LLVMValueRef terminator = LlvmApi.LLVMGetBasicBlockTerminator(block);
            uint count = terminator.IsNull ? 0 : LlvmApi.LLVMGetNumSuccessors(terminator);
            if (next == count)
            {
                onPath.Remove(block.Handle);
                finished.Add(block.Handle);
                continue;
            }
            stack.Push((block, next + 1));
            LLVMBasicBlockRef successor = LlvmApi.LLVMGetSuccessor(terminator, next);
            if (onPath.Contains(successor.Handle))
                return true;
            if (finished.Contains(successor.Handle))
                continue;
            onPath.Add(successor.Handle);
            stack.Push((successor, 0));
        }
        return false;
    }
}
