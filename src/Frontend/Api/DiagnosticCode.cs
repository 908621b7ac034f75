namespace Targets;

/// <summary>
/// Stable codes of <see cref="CompilationException"/>s, printed as <c>TGT</c> and four digits
/// (<c>TGT3001</c>) and listed in docs/troubleshooting.md: what tools and targets match on instead
/// of message text, which may be reworded. A code's number never changes meaning; new refusals get
/// new numbers. 1xxx: the C# subset (every target); 2xxx: the parallel target; 3xxx: the cuda
/// target's refusals by design (what a GPU thread cannot do in this compiler).
/// </summary>
public enum DiagnosticCode
{
    /// <summary>A construct outside the supported subset.</summary>
    UnsupportedConstruct = 1001,
    /// <summary>A type the compiler cannot represent.</summary>
    UnsupportedType = 1002,
    /// <summary>A call that cannot be compiled.</summary>
    UnsupportedCall = 1003,
    /// <summary>IL that breaks its own rules.</summary>
    InvalidIl = 1004,
    /// <summary>LLVM refused what the compiler made of the method.</summary>
    Backend = 1005,
    /// <summary>The iterations of a Prange loop would race on a variable or an array element.</summary>
    Race = 2001,
    /// <summary>An array allocated in device code (there is no heap on the device).</summary>
    CudaDeviceAllocation = 3001,
    /// <summary>A store into a jit-class field outside a constructor (instances are immutable values on cuda).</summary>
    CudaImmutableInstance = 3002,
    /// <summary>A jit class made in device code with an array or instance field.</summary>
    CudaReferenceField = 3003,
    /// <summary>A callee that returns an instance and is not inlined (the instance would outlive the callee's stack).</summary>
    CudaInstanceFromCallee = 3004,
    /// <summary>A result type that cannot come back from the device.</summary>
    CudaResultType = 3005,
    /// <summary>A ref or out parameter of a kernel (the host's variables are not on the device).</summary>
    CudaKernelRefParameter = 3006,
    /// <summary>A struct that holds an array or a jit-class instance in device code (there is no NRT on the device to count them).</summary>
    CudaStructWithReferences = 3007,
    /// <summary>A virtual call that needs the instance's class, or a type test, in device code (instances there are values without a class record).</summary>
    CudaClassOfInstance = 3008,
    /// <summary>A string crossing between host and device: a kernel's parameter or result, a string value in an exception raised in device code (literals compile in device code).</summary>
    CudaStringParameter = 3009,
    /// <summary>A SIMD vector (<c>Vector&lt;T&gt;</c>, <c>Vector128&lt;T&gt;</c>, …) in device code, where each thread is one lane already.</summary>
    CudaSimdVector = 3010,
    /// <summary>An array of arrays (a jagged array) in device code: its rows are arrays the host counts, which the device cannot see or count.</summary>
    CudaArrayOfArrays = 3011,
}

/// <summary>Facts about <see cref="DiagnosticCode"/>.</summary>
public static class DiagnosticCodes
{
    /// <summary>The code a refusal of <paramref name="kind"/> has unless its site gives a finer one.</summary>
    public static DiagnosticCode Default(CompilationErrorKind kind) => kind switch
    {
        CompilationErrorKind.UnsupportedConstruct => DiagnosticCode.UnsupportedConstruct,
        CompilationErrorKind.UnsupportedType => DiagnosticCode.UnsupportedType,
        CompilationErrorKind.UnsupportedCall => DiagnosticCode.UnsupportedCall,
        CompilationErrorKind.InvalidIl => DiagnosticCode.InvalidIl,
        CompilationErrorKind.Backend => DiagnosticCode.Backend,
        CompilationErrorKind.Race => DiagnosticCode.Race,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected a kind of CompilationErrorKind."),
    };

    /// <summary>One of the cuda target's refusals by design (3xxx).</summary>
    public static bool IsCudaRefusal(DiagnosticCode code) => (int)code / 1000 == 3;

    /// <summary>As printed: <c>TGT3001</c>.</summary>
    public static string Format(DiagnosticCode code) => $"TGT{(int)code:D4}";
}
