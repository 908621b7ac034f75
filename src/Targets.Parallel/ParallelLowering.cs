using Targets.Cpu.Host;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Parallel;

/// <summary>
/// The parallel target's lowering: the host's (<see cref="HostLowering"/>), with its pipeline
/// (<see cref="ParallelPasses"/>) and parallel loops run across cores. A dispatch function packs
/// the loop's start, step and captures into an environment on its stack, and asks the runtime
/// (<see cref="ParallelFor"/>, <see cref="ParallelRuntime"/>) to run a chunk function over chunks
/// of the iterations on every core. The chunk function unpacks the environment and calls the body
/// function for its chunk with the chunk's own reduction cells; the runtime combines the cells
/// into the reductions, in chunk order, and
/// copies the exception record of a chunk that raised into the caller's.
/// </summary>
public sealed unsafe class ParallelLowering : HostLowering
{
    readonly int workers;

    /// <param name="layouts">The jit class layouts (instances counted, as on cpu).</param>
    /// <param name="destructorOf">The symbol of a layout's destructor (see <see cref="HostLowering"/>).</param>
    /// <param name="resolveToken">Names each separately compiled callee (see <see cref="HostLowering"/>).</param>
    /// <param name="workers">Threads a loop runs on, the calling one included.</param>
    /// <param name="checkedRefcounts">Every incref and decref calls the runtime (code compiled in debug mode).</param>
    public ParallelLowering(LayoutContext layouts, Func<JitClassType, string> destructorOf, Func<IrFunction, long>? resolveToken, int workers, bool checkedRefcounts = false)
        : base(layouts, destructorOf, resolveToken, ParallelPasses.Pipeline, checkedRefcounts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        this.workers = workers;
    }

    /// <summary>
    /// <c>i32 targets_parallel_for(ptr chunk, ptr env, i64 count, i32 reductions, ptr kinds,
    /// ptr cells, ptr record, i32 workers)</c>: <c>kinds</c> holds (ReductionOp, IrTypeKind) as two i32 per
    /// reduction and <c>cells</c> the reductions' addresses; <c>chunk</c> is
    /// <c>i32 (ptr env, i64 first, i64 last, ptr record, ptr cells)</c> with 8 bytes per cell.
    /// </summary>
    public const string ParallelFor = "targets_parallel_for";

    public override bool LowersParallelLoops => true;

    public override void EmitParallelLoop(ModuleLowering lowering, IrFunction dispatch, LLVMValueRef dispatchFunction, LLVMBuilderRef builder)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        ArgumentNullException.ThrowIfNull(dispatch);
        ParallelLoop loop = dispatch.ParallelLoop ?? throw new ArgumentException($"{dispatch.Name} is not a parallel loop's dispatch.", nameof(dispatch));
        LlvmTypes t = lowering.Types;
        LlvmContext context = lowering.Module.Context;
        LLVMBuilderRef b = builder;
        int captures = loop.Captures, reductions = loop.Reductions.Count;
        IrFunction body = lowering.Ir.Functions[loop.Body];
        (LLVMValueRef bodyFunction, LLVMTypeRef bodyType) = lowering.FunctionOf(loop.Body);

        // The chunk function: unpack, call the body for [first, last), return its status.
        LLVMTypeRef chunkType = context.Function(t.I32, t.Ptr, t.I64, t.I64, t.Ptr, t.Ptr);
        LLVMValueRef chunk = LlvmApi.LLVMAddFunction(lowering.Module.Handle, dispatch.Name + ".chunk", chunkType);
        LlvmApi.LLVMSetLinkage(chunk, LLVMLinkage.Internal);
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, chunk, "entry"));
        LLVMValueRef env = LlvmApi.LLVMGetParam(chunk, 0), cells = LlvmApi.LLVMGetParam(chunk, 4);
        var arguments = new LLVMValueRef[2 + body.ParameterTypes.Count];
        arguments[0] = LlvmApi.LLVMGetParam(chunk, 3);
        arguments[1] = LlvmApi.LLVMConstNull(t.Ptr);
        arguments[2] = LlvmApi.LLVMGetParam(chunk, 1);
        arguments[3] = LlvmApi.LLVMGetParam(chunk, 2);
        for (int n = 0; n < 2 + captures; n++) // start, step, captures
            arguments[4 + n] = LlvmApi.LLVMBuildLoad2(b, t.Parameter(body.ParameterTypes[2 + n]), Offset(b, t, env, 8 * n), ""); // a struct capture: the address of the dispatch caller's copy
        for (int r = 0; r < reductions; r++)
            arguments[4 + 2 + captures + r] = Offset(b, t, cells, 8 * r);
        LLVMValueRef status;
        fixed (LLVMValueRef* a = arguments)
            status = LlvmApi.LLVMBuildCall2(b, bodyType, bodyFunction, a, (uint)arguments.Length, "");
        LlvmApi.LLVMBuildRet(b, status);

        // The dispatch: (record, result, count, start, step, captures…, refs…).
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, dispatchFunction, "entry"));
        LLVMValueRef record = LlvmApi.LLVMGetParam(dispatchFunction, 0);
        LLVMValueRef environment = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.I64, (ulong)(2 + captures)), "env");
        for (int n = 0; n < 2 + captures; n++)
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMGetParam(dispatchFunction, (uint)(3 + n)), Offset(b, t, environment, 8 * n));
        LLVMValueRef kinds = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.I32, (ulong)Math.Max(1, 2 * reductions)), "kinds");
        LLVMValueRef refs = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.Ptr, (ulong)Math.Max(1, reductions)), "refs");
        for (int r = 0; r < reductions; r++)
        {
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMConstInt(t.I32, (ulong)loop.Reductions[r].Op, 0), Offset(b, t, kinds, 8 * r));
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMConstInt(t.I32, (ulong)loop.Reductions[r].Type.Kind, 0), Offset(b, t, kinds, 8 * r + 4));
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMGetParam(dispatchFunction, (uint)(5 + captures + r)), Offset(b, t, refs, 8 * r));
        }
        LLVMValueRef result = lowering.Call(b, ParallelFor, t.I32, chunk, environment, LlvmApi.LLVMGetParam(dispatchFunction, 2),
            LlvmApi.LLVMConstInt(t.I32, (ulong)reductions, 0), kinds, refs, record, LlvmApi.LLVMConstInt(t.I32, (ulong)workers, 0));
        LlvmApi.LLVMBuildRet(b, result);
    }

    static LLVMValueRef Offset(LLVMBuilderRef b, LlvmTypes t, LLVMValueRef pointer, int bytes)
    {
        LLVMValueRef index = LlvmApi.LLVMConstInt(t.I64, (ulong)bytes, 0);
        return LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, pointer, &index, 1, "");
    }
}
