using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using Targets.Llvm.Lowering;

namespace Targets.Cpu;

/// <summary>
/// The cpu side of <see cref="CompileOptions.LazyCallees"/>: every (method, options, target) a module
/// declares gets a token; the first call through a slot asks <see cref="Resolve"/> for the code,
/// which compiles the method once (or finds it already compiled as an entry) and returns the
/// address the slot is patched with. A method that does not compile is remembered with its error:
/// its calls raise <see cref="UnresolvedSymbolException"/>, and nothing is compiled again.
/// </summary>
internal static unsafe class LazyCallees
{
    sealed class Callee(MethodBase method, CompileOptions options, HostTarget target)
    {
        public MethodBase Method { get; } = method;
        public nint Published;
        public Exception? Error;
        public Lazy<nint> Code { get; } = new(() => target.CompileCode(method, options).Direct, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    // The target is part of the key: its layout context decides what the callee's code means.
    static readonly ConcurrentDictionary<CodeKey<MethodBase, HostTarget>, long> Tokens = new();
    static readonly ConcurrentDictionary<long, Callee> Callees = new();
    static long next;

    internal static long TokenOf(MethodBase method, CompileOptions options, HostTarget target) =>
        Tokens.GetOrAdd(new(method, options, target), key =>
        {
            long token = Interlocked.Increment(ref next);
            Callees[token] = new Callee(key.Method, key.Options, key.Scope);
            return token;
        });

    /// <summary>A method compiled as an entry: slots that want it take this code instead of compiling it again.</summary>
    internal static void Publish(MethodBase method, CompileOptions options, HostTarget target, nint direct) =>
        Interlocked.CompareExchange(ref Callees[TokenOf(method, options, target)].Published, direct, 0);

    /// <summary>
    /// Called by a slot's resolver (<c>nrt_resolve</c>): the callee's code, or 0 with the exception
    /// record saying the callee could not be compiled.
    /// </summary>
    [UnmanagedCallersOnly]
    internal static nint Resolve(long token, nint record)
    {
        Callee callee = Callees[token];
        nint published = Volatile.Read(ref callee.Published);
        if (published != 0)
            return published;
        try
        {
            return callee.Code.Value;
        }
#pragma warning disable CA1031 // whatever stopped the compilation is reported to the caller as the exception's cause
        catch (Exception error)
#pragma warning restore CA1031
        {
            callee.Error = error; // Lazy keeps throwing the same exception: the next call lands here again
            Marshal.WriteInt32(record, NativeAbi.ExceptionType, 0);
            Marshal.WriteInt32(record, NativeAbi.ExceptionFormat, (int)NativeAbi.ExceptionFormatKind.Unresolved);
            Marshal.WriteIntPtr(record, NativeAbi.ExceptionArgument, 0);
            Marshal.WriteInt64(record, NativeAbi.ExceptionValueA, token);
            return 0;
        }
    }

    /// <summary>The exception a call of the callee with this token raised.</summary>
    internal static UnresolvedSymbolException ErrorOf(long token)
    {
        Callee callee = Callees[token];
        return new UnresolvedSymbolException(callee.Method, callee.Error!);
    }
}
