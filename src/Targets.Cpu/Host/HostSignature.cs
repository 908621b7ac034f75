using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Cpu.Host;

/// <summary>
/// What .NET passes and gets when it calls an entry: the function's parameters and result,
/// except that a constructor takes its arguments without <c>this</c> and returns the new instance
/// (its entry trampoline allocates it), and jit class instances cross as boxes (<see cref="JitObject"/>).
/// </summary>
internal sealed record HostSignature(string Name, IReadOnlyList<IrType> Parameters, IrType Return)
{
    public static HostSignature Of(IrFunction function) =>
        function.Method is System.Reflection.ConstructorInfo
            ? new(function.Name, function.ParameterTypes.Skip(1).ToList(), function.ParameterTypes[0])
            : new(function.Name, function.ParameterTypes, function.ReturnType);

    /// <summary>The .NET type a value of <paramref name="type"/> has on the host side.</summary>
    public static Type HostType(IrType type) => type.Kind == IrTypeKind.Instance ? typeof(JitObject) : TypeMapper.ToClr(type);
}
