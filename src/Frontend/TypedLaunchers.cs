using System.Linq.Expressions;
using System.Reflection;

namespace Targets.Frontend;

/// <summary>
/// What every target's typed launcher (<see cref="ITarget.Launcher{TLauncher}"/>) shares: the delegate type's
/// checks, and the launcher a target without a faster one gets — a delegate over <c>Launch</c>, which boxes the
/// arguments as a direct call of <c>Launch</c> would.
/// </summary>
public static class TypedLaunchers
{
    /// <summary>The rank an extent parameter of <paramref name="extent"/>'s type launches: 1, 2 or 3; 0 when it is not an extent.</summary>
    public static int RankOf(Type extent) =>
        extent == typeof(int) || extent == typeof(long) ? 1 : extent == typeof(ValueTuple<int, int>) ? 2 : extent == typeof(ValueTuple<int, int, int>) ? 3 : 0;

    /// <summary>
    /// The Invoke method of <paramref name="launcher"/>, checked to be a launcher's: it returns void and its first
    /// parameter is an extent (see <see cref="RankOf"/>).
    /// </summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static MethodInfo Invoke(Type launcher, MethodInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(kernel);
        if (launcher.IsAbstract || launcher.GetMethod("Invoke") is not { } invoke || invoke.ReturnType != typeof(void)
            || invoke.GetParameters() is not [{ ParameterType: var extent }, ..] || RankOf(extent) == 0)
        {
            throw new ArgumentException(
                $"Expected a delegate type that returns void and takes the extent first (int, long, (int, int) or (int, int, int)), then {kernel.Name}'s arguments after its index; got {launcher.Name}.",
                nameof(launcher));
        }
        return invoke;
    }

    /// <summary>A launcher that calls <paramref name="target"/>'s <c>Launch</c> with the arguments boxed.</summary>
    public static TLauncher Boxing<TLauncher>(ITarget target, Delegate kernel) where TLauncher : Delegate
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(kernel);
        MethodInfo invoke = Invoke(typeof(TLauncher), kernel.Method);
        ParameterExpression[] parameters = [.. invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name))];
        MethodInfo launch = typeof(ITarget).GetMethod(nameof(ITarget.Launch), [typeof(Delegate), parameters[0].Type, typeof(object[])])!;
        Expression body = Expression.Call(Expression.Constant(target), launch, Expression.Constant(kernel), parameters[0],
            Expression.NewArrayInit(typeof(object), parameters.Skip(1).Select(p => Expression.Convert(p, typeof(object)))));
        return Expression.Lambda<TLauncher>(body, parameters).Compile();
    }
}
