using System.Runtime.InteropServices;
using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;

namespace Targets.Parallel;

/// <summary>
/// The runtime entry compiled parallel loops call (<c>targets_parallel_for</c>, see
/// <see cref="ParallelLowering.ParallelFor"/>): splits the iterations into chunks, runs them
/// on the <see cref="WorkerPool"/>, and combines each chunk's reduction cells into the loop's
/// reductions in chunk order, so a result depends only on the iteration count and the worker
/// count, never on timing. On a raise, the reductions are left as they were and the exception of
/// the first failing chunk goes to the caller.
/// </summary>
internal static unsafe class ParallelRuntime
{
    /// <summary>Chunks per worker: enough to balance uneven iterations, few enough that a chunk's call costs nothing.</summary>
    const int ChunksPerWorker = 16;

    public static nint Address => (nint)(delegate* unmanaged<nint, nint, long, int, nint, nint, nint, int, int>)&ParallelFor;

    [UnmanagedCallersOnly]
    static int ParallelFor(nint chunk, nint environment, long count, int reductions, nint kinds, nint refs, nint record, int workers)
    {
        try
        {
            return Run(chunk, environment, count, reductions, kinds, refs, record, workers);
        }
#pragma warning disable CA1031 // nothing may unwind into native code: a failure of the runtime itself becomes the loop's exception
        catch (Exception e)
#pragma warning restore CA1031
        {
            bool memory = e is OutOfMemoryException;
            int type = RaiseInfo.IndexOf(e.GetType());
            Marshal.WriteInt32(record, NativeAbi.ExceptionType, type >= 0 ? type : RaiseInfo.IndexOf(typeof(InvalidOperationException)));
            Marshal.WriteInt32(record, NativeAbi.ExceptionFormat, (int)(memory ? NativeAbi.ExceptionFormatKind.OutOfMemory : NativeAbi.ExceptionFormatKind.Constant));
            Marshal.WriteIntPtr(record, NativeAbi.ExceptionArgument, 0);
            Marshal.WriteInt64(record, NativeAbi.ExceptionValueA, memory ? (long)reductions * 8 * Math.Max(1, workers) * ChunksPerWorker : 0);
            return NativeAbi.StatusRaised;
        }
    }

    static int Run(nint chunk, nint environment, long count, int reductions, nint kinds, nint refs, nint record, int workers)
    {
        if (count <= 0)
            return NativeAbi.StatusOk;
        int chunks = (int)Math.Min(count, (long)Math.Max(1, workers) * ChunksPerWorker);
        int cellBytes = reductions * 8;
        nint cells = reductions == 0 ? 0 : (nint)NativeMemory.Alloc((nuint)chunks * (nuint)cellBytes);
        try
        {
            var reductionList = new Reduction[reductions];
            for (int r = 0; r < reductions; r++)
            {
                reductionList[r] = new Reduction((ReductionOp)((int*)kinds)[2 * r], TypeOf((IrTypeKind)((int*)kinds)[2 * r + 1]));
                for (int c = 0; c < chunks; c++)
                    Write(reductionList[r].Type, cells + c * cellBytes + 8 * r, reductionList[r].Identity);
            }
            var job = new ParallelJob(chunk, environment, count, chunks, cells, cellBytes);
            WorkerPool.Run(job, workers);
            if (job.FailedChunk >= 0)
            {
                job.CopyFailure(record);
                return NativeAbi.StatusRaised;
            }
            for (int r = 0; r < reductions; r++)
            {
                nint target = ((nint*)refs)[r];
                for (int c = 0; c < chunks; c++)
                    Combine(reductionList[r], target, cells + c * cellBytes + 8 * r);
            }
            return NativeAbi.StatusOk;
        }
        finally
        {
            if (cells != 0)
                NativeMemory.Free((void*)cells);
        }
    }

    static IrType TypeOf(IrTypeKind kind) => kind switch
    {
        IrTypeKind.I32 => IrType.I32,
        IrTypeKind.U32 => IrType.U32,
        IrTypeKind.I64 => IrType.I64,
        IrTypeKind.U64 => IrType.U64,
        IrTypeKind.F32 => IrType.F32,
        IrTypeKind.F64 => IrType.F64,
        _ => throw new InvalidOperationException($"no reductions of {kind}"),
    };

    static void Write(IrType type, nint cell, (long Integer, double Float) value)
    {
        switch (type.Kind)
        {
            case IrTypeKind.I32 or IrTypeKind.U32: *(int*)cell = (int)value.Integer; break;
            case IrTypeKind.I64 or IrTypeKind.U64: *(long*)cell = value.Integer; break;
            case IrTypeKind.F32: *(float*)cell = (float)value.Float; break;
            default: *(double*)cell = value.Float; break;
        }
    }

    /// <summary><c>*target = *target op *cell</c>, with the C# semantics of the loop's operation on its type.</summary>
    static void Combine(Reduction r, nint target, nint cell)
    {
        switch (r.Type.Kind)
        {
            case IrTypeKind.I32: *(int*)target = Integer(r.Op, *(int*)target, *(int*)cell); break;
            case IrTypeKind.U32: *(uint*)target = Integer(r.Op, *(uint*)target, *(uint*)cell); break;
            case IrTypeKind.I64: *(long*)target = Integer(r.Op, *(long*)target, *(long*)cell); break;
            case IrTypeKind.U64: *(ulong*)target = Integer(r.Op, *(ulong*)target, *(ulong*)cell); break;
            case IrTypeKind.F32: *(float*)target = Real(r.Op, *(float*)target, *(float*)cell); break;
            default: *(double*)target = Real(r.Op, *(double*)target, *(double*)cell); break;
        }
    }

    static T Integer<T>(ReductionOp op, T a, T b) where T : System.Numerics.IBinaryInteger<T> => op switch
    {
        ReductionOp.Add => unchecked(a + b),
        ReductionOp.Mul => unchecked(a * b),
        ReductionOp.And => a & b,
        ReductionOp.Or => a | b,
        ReductionOp.Xor => a ^ b,
        ReductionOp.Min => T.Min(a, b),
        _ => T.Max(a, b),
    };

    static T Real<T>(ReductionOp op, T a, T b) where T : System.Numerics.IFloatingPointIeee754<T> => op switch
    {
        ReductionOp.Add => a + b,
        ReductionOp.Mul => a * b,
        ReductionOp.Min => T.Min(a, b),
        ReductionOp.Max => T.Max(a, b),
        _ => throw new InvalidOperationException($"{op} of floating-point values"),
    };
}
