using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// What the generated host stubs call back into: turning an exception record into the .NET
/// exception, and arrays made by compiled code into .NET arrays. Public only so stubs emitted
/// into dynamic methods can bind to it; not part of the supported API.
/// </summary>
public static unsafe class HostInterop
{
    /// <summary>Stack space for one call: argument slots, the result, the exception record.</summary>
    [System.Runtime.CompilerServices.InlineArray(Longs)]
    public struct CallFrame
    {
        /// <summary>Room for <see cref="MaxArguments"/> slots, the result and the record.</summary>
        public const int Longs = MaxArguments + 1 + NativeAbi.ExceptionRecordSize / 8;

        /// <summary>Most arguments an entry method may take.</summary>
        public const int MaxArguments = 32;

        long element;
    }

    /// <summary>
    /// Calls an entry trampoline. The stubs call through here rather than emitting <c>calli</c>
    /// themselves: a C# function-pointer call gets the JIT's inlined native transition, which
    /// measured several times cheaper than an unmanaged <c>calli</c> in a dynamic method.
    /// The thread counts itself inside <paramref name="code"/> for the call (released code is
    /// removed only once no thread is) and reads a raised exception's record before it leaves
    /// (the record may point into the module). The call also surfaces reference-counting errors
    /// debug mode caught (a decref below zero, recorded instead of corrupting memory) as an
    /// exception naming the MemInfo.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Call(CompiledCode code, nint arguments, nint result, nint record)
    {
        CallCounter calls = CallCounter.Current;
        calls.Enter();
        if (code.Released)
        {
            calls.Leave();
            ThrowReleased();
        }
        int status = ((delegate* unmanaged<nint, nint, nint, int>)code.Entry)(arguments, result, record);
        if (status != NativeAbi.StatusOk)
            ThrowRaised(calls, record);
        calls.Leave();
        if (Volatile.Read(ref NrtState.Pointer[NrtState.Errors]) != 0)
            ThrowRefcountErrors();
    }

    /// <summary>The runtime's gate (<c>nrt_call_gate</c>), set when the runtime is installed.</summary>
    internal static nint Gate;

    /// <summary>
    /// The call of brief code (<see cref="CompiledCode.Brief"/>): through the runtime's gate with the handle's slot,
    /// without the GC transition (which costs more than such code runs: ~6 ns of a ~10 ns call here) and without
    /// the per-thread count (~2 ns: brief code neither blocks nor changes reference counts, and its release waits
    /// for a GC's suspension instead, see <see cref="CompiledCode"/>). Inlined into the stubs, as <see cref="Call"/> is
    /// (measured: 4.7 ns a call of <c>Add</c> inlined, 5.6 ns not).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void CallBrief(CompiledCode code, nint arguments, nint result, nint record)
    {
        int status = ((delegate* unmanaged[SuppressGCTransition]<nint, nint, nint, nint, int>)Gate)(code.Slot, arguments, result, record);
        if (status != NativeAbi.StatusOk)
            ThrowFromGate(status, record);
    }

    /// <summary>What the gate answered other than success: the released handle's exception, or the raised one (then the call is counted out of <see cref="NrtState.BriefRaising"/> once its record is read).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowFromGate(int status, nint record)
    {
        if (status == NrtRuntimeIr.StatusReleased)
            ThrowReleased();
        Exception exception;
        try
        {
            exception = CreateException(record);
        }
        finally
        {
            Interlocked.Decrement(ref NrtState.Pointer[NrtState.BriefRaising]);
        }
        throw exception;
    }

    /// <summary>
    /// A typed launcher's extent (<see cref="HostStubGenerator.TypedLaunch"/>) checked as <c>Launch</c> checks it:
    /// the number of items, and in <paramref name="narrow"/> the width as the launcher takes it (a long extent's
    /// width matters only to 2-D and 3-D indices).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative size, or more than <see cref="int.MaxValue"/> items for a kernel taking an Index1D.</exception>
    public static long LaunchCount(long width, int height, int depth, bool longIndex, out int narrow)
    {
        if (width < 0 || height < 0 || depth < 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Extents are sizes, zero or more; got ({width}, {height}, {depth}).");
        if (width > int.MaxValue && !longIndex)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The kernel takes an Index1D, which counts at most int.MaxValue items; take a LongIndex1D for more.");
        narrow = (int)Math.Min(width, int.MaxValue);
        return width * height * depth;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowReleased() =>
        throw new ObjectDisposedException(nameof(CompiledFunction), "The compiled function was disposed: its code has been released.");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowRaised(CallCounter calls, nint record)
    {
        Exception exception = CreateException(record);
        calls.Leave();
        throw exception;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    static void ThrowRefcountErrors()
    {
        (long count, nint memInfo) = Nrt.TakeErrors();
        throw new InvalidOperationException(
            $"NRT debug mode caught {count} decref(s) below zero, the last on MemInfo 0x{memInfo:x}: a reference-counting bug. " +
            "The MemInfo was left alone instead of corrupting memory.");
    }

    /// <summary>The exception a compiled function raised, from its record (see <see cref="NativeAbi"/>).</summary>
    public static Exception CreateException(nint record) =>
        ExceptionRecord.Create(new ReadOnlySpan<byte>((void*)record, NativeAbi.ExceptionRecordSize), Marshal.PtrToStringUTF8, LazyCallees.ErrorOf);


    /// <summary>
    /// A .NET array with the contents of an array compiled code created (then freed), or null.
    /// Arrays that came from .NET are mapped back by the stub before this is called.
    /// </summary>
    public static T[]? TakeVector<T>(nint descriptor, nint decref) where T : unmanaged
    {
        if (descriptor == 0)
            return null;
        if (DescriptorLayout.StaticArray(descriptor) is T[] pinned)
            return pinned; // a static readonly field's array comes back as itself (nothing counts it)
        if (DescriptorLayout.AdoptedArray(descriptor) is T[] adopted)
        {
            Release(descriptor, decref);
            return adopted; // a .NET array kept by compiled code comes back as itself
        }
        byte* d = (byte*)descriptor;
        long length = *(long*)(d + NativeAbi.DescriptorLength);
        var result = new T[length];
        CopyAndRelease(d, ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(result)), length * sizeof(T), decref);
        return result;
    }

    /// <summary>
    /// The string compiled code returned (the stub has mapped a string .NET passed in back to itself): null, or a
    /// literal's characters (owner and host null) as the interned .NET string, which is the object .NET's own literal is.
    /// </summary>
    public static string? TakeString(nint descriptor)
    {
        if (descriptor == 0)
            return null;
        byte* d = (byte*)descriptor;
        return string.Intern(new string(*(char**)(d + NativeAbi.DescriptorData), 0, checked((int)*(long*)(d + NativeAbi.DescriptorLength))));
    }

    /// <summary>
    /// The MemInfo a box lends to a call (null for a null box), after checking that the box holds
    /// an instance of the parameter's class laid out as the code reads it: compiled code would read
    /// another class's (or layout's) memory.
    /// </summary>
    /// <exception cref="ArgumentException">The box holds another jit class.</exception>
    public static nint MemInfoOf(JitObject? box, Type expected, int argument, CompiledCode code)
    {
        if (box is null)
            return 0;
        if (!expected.IsAssignableFrom(box.Type.ClrType))
            throw new ArgumentException($"Argument {argument} must be a JitObject of {expected.Name} (or of a class derived from it), got a box of {box.Type.Name}.", nameof(box));
        if (box.Layouts != code.Layouts && !LayoutContext.SameLayout(box.Type, code.Layouts.Layout(box.Type.ClrType)))
            throw new ArgumentException(
                $"Argument {argument} is a box of {box.Type}; this code lays {box.Type.Name} out as {code.Layouts.Layout(box.Type.ClrType)}. " +
                "CompiledFunction.Invoke compiles and runs the code for the box's layout; a typed delegate, a constructor or a launch runs the one layout it was compiled for.", nameof(box));
        return box.MemInfo;
    }

    /// <summary>A new box owning the reference a compiled function returned (null for null).</summary>
    public static JitObject? WrapInstance(nint memInfo, Type jitClass, CompiledCode code)
    {
        if (memInfo == 0)
            return null;
        return new JitObject(code.Layouts.Layout(JitObject.ClassOf(memInfo, jitClass)), memInfo, CpuObjects.For(code.Layouts));
    }

    /// <summary>
    /// A returned array of jit class instances as a <c>JitObject[]</c> (<c>JitObject[,]</c>…) of new
    /// boxes, one reference each; the reference compiled code returned for the array is dropped.
    /// </summary>
    public static Array? TakeInstances(nint descriptor, nint decref, int rank, Type jitClass, CompiledCode code)
    {
        // Releasing the array may destroy instances: counted in, as compiled code is (see CallCounter).
        using CallCounter.Scope counted = CallCounter.Current.Counted();
        Array? boxes = JitObject.BoxElements(descriptor, jitClass, rank, CpuObjects.For(code.Layouts));
        if (descriptor != 0)
            Release(descriptor, decref);
        return boxes;
    }

    /// <summary>A zero-copy <see cref="NrtArray{T}"/> of a returned array (or the .NET array it was given).</summary>
    public static NrtArray<T>? WrapVector<T>(nint descriptor, nint decref, T[]? original) where T : unmanaged =>
        NrtArrays.FromNative(descriptor, decref, original);

    /// <summary>As <see cref="TakeVector{T}"/> for arrays of rank 2 and more.</summary>
    public static Array? TakeArray<T>(nint descriptor, nint decref, int rank) where T : unmanaged
    {
        if (descriptor == 0)
            return null;
        if (DescriptorLayout.AdoptedArray(descriptor) is { } adopted)
        {
            Release(descriptor, decref);
            return adopted;
        }
        byte* d = (byte*)descriptor;
        var lengths = new int[rank];
        for (int n = 0; n < rank; n++)
            lengths[n] = (int)*(long*)(d + NativeAbi.DescriptorDimensions + 8 * n);
        var result = Array.CreateInstance(typeof(T), lengths);
        long length = *(long*)(d + NativeAbi.DescriptorLength);
        CopyAndRelease(d, ref MemoryMarshal.GetArrayDataReference(result), length * sizeof(T), decref);
        return result;
    }

    static void Release(nint descriptor, nint decref) =>
        ((delegate* unmanaged<nint, void>)decref)(*(nint*)(descriptor + NativeAbi.DescriptorOwner));

    /// <summary>Copies the data out, then drops the reference the compiled code returned (its MemInfo).</summary>
    static void CopyAndRelease(byte* descriptor, ref byte destination, long bytes, nint decref)
    {
        byte* data = *(byte**)(descriptor + NativeAbi.DescriptorData);
        nint owner = *(nint*)(descriptor + NativeAbi.DescriptorOwner);
        fixed (byte* to = &destination)
            Buffer.MemoryCopy(data, to, bytes, bytes);
        ((delegate* unmanaged<nint, void>)decref)(owner);
    }
}
