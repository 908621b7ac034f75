namespace Targets;

/// <summary>Marks a class whose instances live in C-layout NRT memory when compiled (see <see cref="JitClass.Define{T}()"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JitClassAttribute : Attribute;
