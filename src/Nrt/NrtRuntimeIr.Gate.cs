namespace Targets.Runtime;

/// <summary>
/// The gate .NET calls brief code through (the cpu target's <c>CompiledCode</c>, without the GC transition): it
/// reads the entry from the handle's slot and calls it, in native code, so no GC safepoint lies between the read
/// and the call — a GC that suspends every thread after a slot was cleared has waited out every call that read
/// the old entry. A cleared slot (a released handle) answers <see cref="StatusReleased"/> and calls nothing. A
/// call that raised counts itself in field <see cref="NrtState.BriefRaising"/> before it returns, still in native
/// code: its exception record may point into the module, which must stay until the host has read it (and counted
/// the call out).
/// </summary>
public static partial class NrtRuntimeIr
{
    /// <summary>The gate's status for a released handle (compiled code returns 0 or 1: see the host ABI).</summary>
    public const int StatusReleased = 2;

    static string Gate => $$"""

        define i32 @nrt_call_gate(ptr %slot, ptr %arguments, ptr %result, ptr %record) {
        entry:
          %target = load atomic ptr, ptr %slot acquire, align 8
          %released = icmp eq ptr %target, null
          br i1 %released, label %refuse, label %call
        call:
          %status = call i32 %target(ptr %arguments, ptr %result, ptr %record)
          %ok = icmp eq i32 %status, 0
          br i1 %ok, label %done, label %raised
        raised:
          %raising = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.BriefRaising}}
          %before = atomicrmw add ptr %raising, i64 1 seq_cst
          br label %done
        done:
          ret i32 %status
        refuse:
          ret i32 {{StatusReleased}}
        }

        """;
}
