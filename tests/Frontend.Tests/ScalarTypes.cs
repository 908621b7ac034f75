using System.Reflection;
using Targets.Frontend.Il;

namespace Targets.Frontend.Tests;

/// <summary>A type context with no jit classes: what the frontend alone needs to import static methods over numbers and arrays.</summary>
public sealed class ScalarTypes : TypeContext
{
    public static ScalarTypes Instance { get; } = new();

    public override bool IsJitClass(Type type) => false;

    public override Type? ObjectFieldType(FieldInfo field) => null;
}
