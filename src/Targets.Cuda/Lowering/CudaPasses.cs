using Targets.Frontend.Il.Collections;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Cuda.Lowering;

/// <summary>
/// The cuda target's pipeline: <c>check-immutability</c>, the frontend's passes, then
/// <c>check-device-code</c>. Between them they refuse, with the C# line, what a GPU thread cannot do
/// in this compiler: store into a jit-class field outside a constructor (instances are immutable
/// values on cuda), give a jit class an array or instance field inside a kernel, allocate an array
/// (there is no NRT on the device), take a callee's returned instance that inlining did not fold
/// into the caller (it would outlive the callee's stack), pass a byref to the host, or hold a struct
/// that holds references (nothing counts them on the device). Nothing they let through needs a runtime.
/// </summary>
public static class CudaPasses
{
    public static Pass CheckImmutability { get; } = new("check-immutability", (m, f, _) => Pass.Count("checked", CheckStores(f)),
        "first: before inlining folds constructors into their callers, while a store into a field is still visibly a constructor's");

    public static Pass CheckDeviceCode { get; } = new("check-device-code", (m, f, _) => Pass.Count("checked", Check(m, f)),
        "last: after inlining, which folds small constructors and value-returning methods into their callers, so only what is left must be refused");

    /// <summary>Element accesses lose their null and bounds checks (<c>CudaOptions.BoundsChecks = false</c>): what CUDA C and ILGPU's release builds do.</summary>
    public static Pass DropBoundsChecks { get; } = new("drop-bounds-checks", (_, f, _) => Pass.Count("accesses", Uncheck(f)),
        "after the frontend's passes (versioning already removed the checks it could prove away), before lowering");

    public static Pipeline Pipeline { get; } = new([CheckImmutability, .. FrontendPasses.All, CheckDeviceCode]);

    /// <summary>The pipeline without bounds checks.</summary>
    public static Pipeline Unchecked { get; } = new([CheckImmutability, .. FrontendPasses.All, CheckDeviceCode, DropBoundsChecks]);

    /// <summary>The pipeline for code with (<see cref="Pipeline"/>) or without (<see cref="Unchecked"/>) bounds checks.</summary>
    public static Pipeline For(bool boundsChecks) => boundsChecks ? Pipeline : Unchecked;

    static int Uncheck(IrFunction f)
    {
        int changed = 0;
        foreach (IrBlock block in f.Blocks)
        {
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction i = block.Instructions[n];
                bool access = i.Op is Opcode.LoadElement or Opcode.StoreElement or Opcode.ElementAddress
                    || i.Op == Opcode.Intrinsic && IntrinsicInfo.IsAtomic(i.Intrinsic);
                if (access && i.BoundsChecked)
                {
                    block.Instructions[n] = i.Copy(i.Result, i.Operands, i.Targets, boundsChecked: false);
                    changed++;
                }
            }
        }
        return changed;
    }

    static CompilationException Refuse(IrFunction f, Instruction i, DiagnosticCode code, string construct, string detail) =>
        new(CompilationErrorKind.UnsupportedConstruct, f.DisplayName, construct,
            i.Location.IlOffset, i.Location.File, i.Location.Line, detail, code: code);

    static int CheckStores(IrFunction f)
    {
        foreach (Instruction i in f.Blocks.SelectMany(b => b.Instructions))
        {
            if (new[] { i.Type, i.TargetType }.Concat(i.Operands.Select(f.TypeOf)).FirstOrDefault(t => t?.JitClass is { } c && CollectionTypes.IsSubstitute(c)) is { } collection)
                throw Refuse(f, i, DiagnosticCode.CudaDeviceAllocation, $"a {CollectionTypes.DotnetName(collection.JitClass!)} in device code",
                    "a collection grows on the heap, and the cuda target has none: fill an array passed in (and a count), or build the collection on the host");
            // Nothing counts references on the device: a struct holding them, or an array of or byref to one, is refused where it first appears.
            // A span is the exception: it only borrows its array (an array parameter's view, a constant table) and never leaves the kernel.
            IrType? type = new[] { i.Type, i.TargetType }.Concat(i.Operands.Select(f.TypeOf)).FirstOrDefault(t => t?.StructWithReferences is { IsSpan: false });
            if (type?.StructWithReferences is { Function: { } lambda })
                throw Refuse(f, i, DiagnosticCode.CudaStructWithReferences, $"a lambda that captures variables ({lambda.Name}) in device code",
                    "its closure is an object NRT counts, and nothing counts references on the device: pass what the lambda reads as parameters, or use a static lambda");
            if (type?.StructWithReferences is { } held)
                throw Refuse(f, i, DiagnosticCode.CudaStructWithReferences, $"a {type} in device code",
                    $"{held.Name} holds an array or a jit class instance ({string.Join(", ", held.CountedLeaves.Select(l => l.Type))}); structs in device code hold numbers and structs of them only: pass the arrays as parameters of their own");
        }
        foreach (Instruction i in f.Blocks.SelectMany(b => b.Instructions).Where(i => i.Op == Opcode.StoreField))
        {
            if (!f.IsConstructor)
                throw Refuse(f, i, DiagnosticCode.CudaImmutableInstance, $"storing field {i.Field?.DeclaringType?.Name}.{i.Field?.Name}",
                    $"jit classes are immutable on cuda (instances are values): make a new {i.Field?.DeclaringType?.Name} with the changed field instead");
            if (i.TargetType!.IsReference)
                throw Refuse(f, i, DiagnosticCode.CudaReferenceField, $"field {i.Field?.DeclaringType?.Name}.{i.Field?.Name} of type {i.TargetType}",
                    "a jit class made in device code holds numeric fields only on cuda (array and jit-class fields are not supported there yet)");
        }
        return f.Blocks.Sum(b => b.Instructions.Count);
    }

    /// <summary>Whether <paramref name="type"/> is an array of arrays (a jagged array).</summary>
    static bool IsJagged(IrType type) => type is { Kind: IrTypeKind.Array, Element: { Kind: IrTypeKind.Array, IsString: false } };

    static int Check(IrModule module, IrFunction f)
    {
        CompilationException Refuse(Instruction i, DiagnosticCode code, string construct, string detail) => CudaPasses.Refuse(f, i, code, construct, detail);
        if (f == module.Entry && (f.ParameterTypes.Any(p => p.IsString) || f.ReturnType.IsString))
            throw Refuse(f.Blocks[0].Instructions[0], DiagnosticCode.CudaStringParameter, $"a string {(f.ReturnType.IsString ? "result" : "parameter")} of a kernel",
                "a string is a .NET object, which the device cannot see: pass its characters as a char[] (s.ToCharArray()); literals and the string members compile in device code");
        if (f.ParameterTypes.Any(IsJagged))
            throw Refuse(f.Blocks[0].Instructions[0], DiagnosticCode.CudaArrayOfArrays, $"a parameter of type {f.ParameterTypes.First(IsJagged)}",
                "an array of arrays cannot be passed to the device (each row is an array of its own the device cannot see): pass a two-dimensional array, or one flat array and its width");
        int checkedCount = 0;
        foreach (Instruction i in f.Blocks.SelectMany(b => b.Instructions))
        {
            checkedCount++;
            if (new[] { i.Type, i.TargetType }.Concat(i.Operands.Select(f.TypeOf)).FirstOrDefault(t => t is not null && IsJagged(t)) is { } jagged)
                throw Refuse(i, DiagnosticCode.CudaArrayOfArrays, $"an array of arrays ({jagged}) in device code",
                    "an array of arrays cannot be passed to the device (each row is an array of its own the device cannot see): pass a two-dimensional array, or one flat array and its width");
            if (i.Op == Opcode.Simd || new[] { i.Type, i.TargetType }.Concat(i.Operands.Select(f.TypeOf)).Any(t => t?.Aggregate is { Lanes: > 0 }))
                throw Refuse(i, DiagnosticCode.CudaSimdVector, "a SIMD vector (Vector<T>, Vector128<T>, …) in device code",
                    "a GPU thread is one lane of a 32-wide warp already: write the kernel over scalars, one element per thread, and the warp runs them side by side");
            switch (i.Op)
            {
                case Opcode.NewArray:
                    throw Refuse(i, DiagnosticCode.CudaDeviceAllocation, "new T[n] in device code",
                        "the cuda target has no heap (no NRT on the device): pass the array in from the host (a DeviceArray<T> or T[]), or use Cuda.SharedArray<T>(constant) for a block's scratch memory");
                case Opcode.Intrinsic when i.Intrinsic == IntrinsicKind.StaticArray:
                    throw Refuse(i, DiagnosticCode.CudaDeviceAllocation, $"static readonly array {i.Field?.DeclaringType?.Name}.{i.Field?.Name} in device code",
                        "a static array is the host's memory, not the device's: pass it to the kernel as a parameter (or make it a ReadOnlySpan<T> property over constant data, which lives in the device's constant memory)");
                case Opcode.Raise when i.Operands.Any(o => f.TypeOf(o).IsString):
                    throw Refuse(i, DiagnosticCode.CudaStringParameter, "a string value in an exception raised in device code",
                        "the host reads an exception's values after the kernel, and a string in device memory is not the host's: use literals and numbers in the exception");
                case Opcode.Intrinsic when i.Intrinsic == IntrinsicKind.ArrayView:
                    throw Refuse(i, DiagnosticCode.CudaDeviceAllocation, "MemoryMarshal.Cast (a span of another element type) in device code",
                        "the view needs a descriptor of its own and the cuda target has no heap: pass the array in as the element type the kernel reads");
                case Opcode.Intrinsic when i.Intrinsic == IntrinsicKind.StackArray:
                    throw Refuse(i, DiagnosticCode.CudaDeviceAllocation, "stackalloc in device code",
                        "a device thread's stack is small and fixed when the kernel is compiled: use Cuda.SharedArray<T>(constant) for a block's scratch memory, or pass an array in");
                case Opcode.Call when module.Functions[i.Callee].ReturnType.Kind == IrTypeKind.Instance:
                    throw Refuse(i, DiagnosticCode.CudaInstanceFromCallee, $"calling {module.Functions[i.Callee].Name}, which returns a jit class instance",
                        "on cuda an instance made in a callee lives on the callee's stack; only callees small enough to inline may return one: make it smaller, or return its fields");
                case Opcode.ClassOf or Opcode.AsInstance or Opcode.CastInstance when i.Op != Opcode.CastInstance || i.Checked:
                    throw Refuse(i, DiagnosticCode.CudaClassOfInstance, i.Op == Opcode.ClassOf ? "a virtual call that depends on the instance's class" : $"a type test or cast to {i.Type}",
                        "on cuda instances are values without a class record: call through a sealed class or one whose method no subclass overrides (the call is then direct)");
                case Opcode.StoreIndirect or Opcode.LoadIndirect when f == module.Entry && module.Entry.ParameterTypes.Any(p => p.Kind == IrTypeKind.ByRef):
                    throw Refuse(i, DiagnosticCode.CudaKernelRefParameter, "a ref/out parameter of a kernel", "the host's variables are not on the device: return the value, or write it into an array");
            }
        }
        return checkedCount;
    }
}
