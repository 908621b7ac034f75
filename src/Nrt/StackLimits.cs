using System.Runtime.InteropServices;

namespace Targets.Runtime;

/// <summary>
/// Tells compiled code how far down the calling thread's stack may go: the lowest address (stack
/// bottom plus <see cref="Margin"/>) in a pthread key whose number is in <see cref="NrtState.StackKey"/>.
/// Before anything that may take a lock, the runtime compares its stack pointer with it and, past it,
/// ends the process as .NET ends a stack overflow ("Stack overflow.", SIGABRT) without allocating or
/// locking. A thread is registered once, on its first call into compiled code; where the bounds cannot
/// be read the runtime falls back to probing (see <c>nrt_stack_reserve</c>).
/// </summary>
public static unsafe class StackLimits
{
    /// <summary>Stack left unused below the limit: room for the runtime's own calls and .NET's abort path.</summary>
    public const int Margin = 64 << 10;

    [ThreadStatic] static bool registered;
    static readonly object Gate = new();

    static readonly delegate* unmanaged<nint> Self = (delegate* unmanaged<nint>)Export("pthread_self");
    static readonly delegate* unmanaged<nint, byte*, int> GetAttributes = (delegate* unmanaged<nint, byte*, int>)Export("pthread_getattr_np");
    static readonly delegate* unmanaged<byte*, nint*, nuint*, int> GetStack = (delegate* unmanaged<byte*, nint*, nuint*, int>)Export("pthread_attr_getstack");
    static readonly delegate* unmanaged<byte*, int> DestroyAttributes = (delegate* unmanaged<byte*, int>)Export("pthread_attr_destroy");
    static readonly delegate* unmanaged<uint*, nint, int> CreateKey = (delegate* unmanaged<uint*, nint, int>)Export("pthread_key_create");
    static readonly delegate* unmanaged<uint, nint, int> SetSpecific = (delegate* unmanaged<uint, nint, int>)Export("pthread_setspecific");

    static nint Export(string name) =>
        NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), name, out nint address) ? address : 0;

    /// <summary>Records the calling thread's stack limit for compiled code (once per thread; nothing where pthreads cannot say).</summary>
    public static void Register()
    {
        if (registered)
            return;
        registered = true;
        if (Self == null || GetAttributes == null || GetStack == null || DestroyAttributes == null || CreateKey == null || SetSpecific == null)
            return;
        long stored = Key();
        if (stored == 0)
            return;
        byte* attributes = stackalloc byte[256]; // pthread_attr_t is 56 bytes on x86-64, 64 on arm64
        if (GetAttributes(Self(), attributes) != 0)
            return;
        nint low;
        nuint size;
        int failed = GetStack(attributes, &low, &size);
        DestroyAttributes(attributes);
        if (failed == 0 && size > Margin)
            SetSpecific((uint)(stored - 1), low + Margin);
    }

    /// <summary>The key's number plus one, made on first use (0 when it cannot be made).</summary>
    static long Key()
    {
        long stored = NrtState.Read(NrtState.StackKey);
        if (stored != 0)
            return stored;
        lock (Gate)
        {
            stored = NrtState.Read(NrtState.StackKey);
            uint key;
            if (stored == 0 && CreateKey(&key, 0) == 0)
                Volatile.Write(ref NrtState.Pointer[NrtState.StackKey], stored = key + 1L);
            return stored;
        }
    }
}
