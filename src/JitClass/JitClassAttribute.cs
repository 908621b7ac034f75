namespace Targets;

/// <summary>Marks a class whose instances live in C-layout NRT memory when compiled (see <see cref="JitClass.Define{T}()"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JitClassAttribute : Attribute
{
    /// <summary>
    /// The program never links instances of this class into a reference cycle (a tree, a list), so the cycle
    /// collector need not track them although the class's fields could form one: allocating and freeing them then
    /// costs what it costs for any class. A cycle made anyway is never collected (it leaks, as every cycle does
    /// under reference counting alone); it is never freed early either.
    /// </summary>
    public bool Acyclic { get; set; }
}
